import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../demo/users.ts';
import { createUser } from '../../../engine/auth/users.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, plusDays, type WorkflowTestApp, workflowApp } from '../workflow-store/setup.ts';

type Caller = Parameters<TestApp['call']>[0];
interface TokenItem {
  id: string;
  username: string;
  kind: string;
  name: string | null;
  expiresAt: string;
  current: boolean;
}

describe.each(dialects())('API tokens: issued, bounded, listed and revoked on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t, { apiTokenMaxDays: 90 });
    // Service accounts of 巴中市: one holding no more than its admin, one holding pii it lacks.
    await createUser(t.db, {
      username: 'bazhongSync',
      password: PASSWORD,
      orgCode: '511902',
      roles: ['admin', 'service'],
      permissions: ['pii'],
    });
    await createUser(t.db, {
      username: 'bazhongBankSync',
      password: PASSWORD,
      orgCode: '511902',
      roles: ['bank', 'service'],
    });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const me = (token: string) => a.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });

  it('lives at most the configured maximum, 90 days by default', async () => {
    const long = await a.call('bazhongAdmin', 'POST', '/api/tokens', {
      name: 'ten years',
      expiresInDays: 3650,
    });
    expect(long.statusCode).toBe(422);
    expect(long.json()).toMatchObject({
      code: 'NX_ERR_TOKEN_LIFETIME',
      errors: [expect.objectContaining({ path: '/body/expiresInDays' })],
    });
    const r = await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'default' });
    expect(r.statusCode, r.body).toBe(201);
    const days = (Date.parse((r.json() as { expiresAt: string }).expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
  });

  it('is issued for yourself or a service account holding no more than you, never for a person', async () => {
    expect(
      (
        await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'x', username: 'bazhongReviewer' })
      ).json(),
    ).toMatchObject({
      code: 'NX_ERR_TOKEN_NOT_SELF',
    });
    const svc = await a.call('bazhongAdmin', 'POST', '/api/tokens', {
      name: 'sync',
      username: 'bazhongSync',
      expiresInDays: 7,
    });
    expect(svc.statusCode, svc.body).toBe(201);
    expect((await me((svc.json() as { token: string }).token)).json()).toMatchObject({
      user: { username: 'bazhongSync' },
    });
    // The bank role is not the admin's to hand out, even through a service account.
    expect(
      (
        await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'x', username: 'bazhongBankSync' })
      ).json(),
    ).toMatchObject({
      code: 'NX_ERR_TOKEN_NOT_SELF',
    });
    // An API token cannot mint another.
    const api = (await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'api' })).json() as {
      token: string;
    };
    const minted = await a.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(api.token),
      payload: { name: 'y' },
    });
    expect(minted.statusCode).toBe(403);
  });

  it('lists your own live tokens; an admin sees those of its area, nobody sees the token itself', async () => {
    await a.call('pingchangStaff', 'GET', '/api/me');
    const own = (await a.call('pingchangStaff', 'GET', '/api/tokens')).json() as { items: TokenItem[] };
    expect(own.items.map((x) => x.username)).toEqual(['pingchangStaff']);
    expect(own.items[0]).toMatchObject({ kind: 'session', current: true });
    expect(JSON.stringify(own)).not.toContain(await a.token('pingchangStaff'));
    expect((await a.call('pingchangStaff', 'GET', '/api/tokens?username=bazhongAdmin')).statusCode).toBe(404);

    const area = (await a.call('bazhongAdmin', 'GET', '/api/tokens')).json() as { items: TokenItem[] };
    const users = new Set(area.items.map((x) => x.username));
    expect(users).toContain('pingchangStaff');
    expect(users).toContain('bazhongSync');
    await a.call('chengduStaff', 'GET', '/api/me');
    expect(users).not.toContain('chengduStaff');
    const filtered = (await a.call('bazhongAdmin', 'GET', '/api/tokens?username=bazhongSync')).json() as {
      items: TokenItem[];
    };
    expect(filtered.items.map((x) => x.name)).toEqual(['sync']);
  });

  it('is revoked by its holder or an admin of its area; outside the area it does not exist', async () => {
    const issued = (
      await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'to revoke', username: 'bazhongSync' })
    ).json() as {
      id: string;
      token: string;
    };
    expect((await me(issued.token)).statusCode).toBe(200);
    expect((await a.call('chengduStaff', 'DELETE', `/api/tokens/${issued.id}`)).statusCode).toBe(404);
    expect((await a.call('pingchangStaff', 'DELETE', `/api/tokens/${issued.id}`)).statusCode).toBe(404);
    expect((await a.call('admin' as Caller, 'DELETE', `/api/tokens/${issued.id}`)).statusCode).toBe(204);
    expect((await me(issued.token)).statusCode).toBe(401);

    const own = (await a.call('pingchangReviewer', 'GET', '/api/tokens')).json() as { items: TokenItem[] };
    const mine = own.items[0]?.id as string;
    expect((await a.call('pingchangReviewer', 'DELETE', `/api/tokens/${mine}`)).statusCode).toBe(204);
    expect((await me(await a.token('pingchangReviewer'))).statusCode).toBe(401);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'token.revoke')
      .execute();
    expect(audit.map((x) => x.actor).sort()).toEqual(['admin', 'pingchangReviewer']);
  });
});

describe.each(dialects())(
  'a countersign takes two people, whatever tokens they hold, on $name',
  (dialect) => {
    let t: TestDatabase;
    let w: WorkflowTestApp;
    beforeAll(async () => {
      t = await dialect.open();
      w = await workflowApp(t);
      // A service account of the county holding what the county head holds (admin).
      await createUser(t.db, {
        username: 'pingchang.sync',
        password: DEMO_PASSWORD,
        orgCode: '511923',
        roles: ['admin', 'service'],
        permissions: ['pii'],
      });
    });
    afterAll(async () => {
      await w?.close();
      await t?.destroy();
    });

    const act = (user: string, id: string, action: string) =>
      w.call(user, 'POST', `/api/submissions/${id}/actions/${action}`, {});
    const withToken = (token: string, id: string, action: string) =>
      w.app.inject({
        method: 'POST',
        url: `/api/submissions/${id}/actions/${action}`,
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });

    it('the county head can neither sign as the reviewer through a token nor complete it through a service account', async () => {
      const created = await w.call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
        data: householdData(),
        status: 'submitted',
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<{ id: string }>().id;
      expect((await act('baiyi.reviewer', id, 'approve')).statusCode).toBe(200);
      expect((await act('pingchang.reviewer', id, 'check')).statusCode).toBe(200);
      expect((await act('pingchang.reviewer', id, 'approve')).statusCode).toBe(200);
      await w.app.workflows.runDueTimers(plusDays(w.now, 7.01));

      // The head asks for a token acting as the county reviewer: refused.
      const asReviewer = await w.call('pingchang.head', 'POST', '/api/tokens', {
        name: 'x',
        username: 'pingchang.reviewer',
      });
      expect(asReviewer.json<{ code: string }>().code).toBe('NX_ERR_TOKEN_NOT_SELF');

      // The head signs once; its own API token is the same person: refused as already approved.
      expect((await act('pingchang.head', id, 'approve')).json<{ moved: boolean }>().moved).toBe(false);
      const own = (await w.call('pingchang.head', 'POST', '/api/tokens', { name: 'mine' })).json<{
        token: string;
      }>();
      const again = await withToken(own.token, id, 'approve');
      expect(again.statusCode).toBe(409);
      expect(again.json<{ code: string }>().code).toBe('NX_ERR_WF_ALREADY_APPROVED');

      // A service account's token takes no workflow action at all.
      const svc = (
        await w.call('pingchang.head', 'POST', '/api/tokens', { name: 'sync', username: 'pingchang.sync' })
      ).json<{ token: string }>();
      const bySvc = await withToken(svc.token, id, 'approve');
      expect(bySvc.statusCode).toBe(403);

      // The real second person completes it; the history names both people.
      expect((await act('pingchang.reviewer', id, 'approve')).json<{ moved: boolean }>().moved).toBe(true);
      const history = (await w.call('admin', 'GET', `/api/submissions/${id}/history`)).json<{
        items: { action: string; actor: string | null }[];
      }>();
      expect(
        history.items
          .filter((h) => h.action === 'approve')
          .map((h) => h.actor)
          .slice(-2),
      ).toEqual(['pingchang.head', 'pingchang.reviewer']);
    });
  },
);
