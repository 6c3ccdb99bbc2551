import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const FORM = 'test-household';
const url = `/api/forms/${FORM}/submissions`;
const id = (seq: number) => makeIdcard({ region: '511923', birthDate: '1965-01-20', seq });
const complete = (name: string, seq = 1) => ({ headName: name, headIdNumber: id(seq), householdSize: 3 });

interface Sub {
  id: string;
  version: number;
  status: string;
  data: Record<string, unknown>;
  formVersion: number;
}

describe.each(dialects())('submissions on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom('submissions')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('a draft may be incomplete; a submitted one may not (422 with field errors)', async () => {
    const draft = await a.call('pingchangStaff', 'POST', url, { data: { headName: '只填了姓名' } });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({
      status: 'draft',
      version: 1,
      formVersion: 1,
      orgUnit: '511923',
      createdBy: 'pingchangStaff',
    });
    const before = await count();
    const bad = await a.call('pingchangStaff', 'POST', url, {
      data: { headName: '只填了姓名' },
      status: 'submitted',
    });
    expect(bad.statusCode).toBe(422);
    const body = bad.json() as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('NX_ERR_SUBMISSION_INVALID');
    expect(body.errors.map((e) => e.path)).toContain('/headIdNumber');
    expect(await count()).toBe(before);
  });

  it('a retried create with the same Idempotency-Key returns the first result and stores nothing twice', async () => {
    const before = await count();
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await a.call('pingchangStaff', 'POST', url, { data: complete('重试户') }, headers);
    const second = await a.call('pingchangStaff', 'POST', url, { data: complete('重试户') }, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect((second.json() as Sub).id).toBe((first.json() as Sub).id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await count()).toBe(before + 1);
    const other = await a.call('pingchangStaff', 'POST', url, { data: complete('别的户') }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'NX_ERR_IDEMPOTENCY_KEY_REUSED' });
  });

  it('two concurrent creates with the same key store one submission and answer the same', async () => {
    const before = await count();
    const headers = { 'idempotency-key': 'race-1' };
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        a.call('pingchangStaff', 'POST', url, { data: complete('并发户') }, headers),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => (r.json() as Sub).id)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('a stale update gets 409 and changes nothing; If-Match works like version', async () => {
    const s = (await a.call('pingchangStaff', 'POST', url, { data: complete('并发修改户') })).json() as Sub;
    const ok = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s.id}`, {
      data: { householdSize: 4 },
      version: 1,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, data: { householdSize: 4, headName: '并发修改户' } });
    expect(ok.headers.etag).toBe('"2"');
    const stale = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s.id}`, {
      data: { householdSize: 9 },
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'NX_ERR_SUBMISSION_VERSION_CONFLICT' });
    const staleHeader = await a.call(
      'pingchangStaff',
      'PATCH',
      `/api/submissions/${s.id}`,
      { data: { householdSize: 9 } },
      { 'if-match': '"1"' },
    );
    expect(staleHeader.statusCode).toBe(409);
    const now = (await a.call('pingchangStaff', 'GET', `/api/submissions/${s.id}`)).json() as Sub;
    expect(now).toMatchObject({ version: 2, data: { householdSize: 4 } });
    const viaHeader = await a.call(
      'pingchangStaff',
      'PATCH',
      `/api/submissions/${s.id}`,
      { status: 'submitted' },
      { 'if-match': '"2"' },
    );
    expect(viaHeader.json()).toMatchObject({ version: 3, status: 'submitted' });
    const noVersion = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s.id}`, {
      status: 'submitted',
    });
    expect(noVersion.statusCode).toBe(400);
    const back = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s.id}`, {
      status: 'draft',
      version: 3,
    });
    expect(back.json()).toMatchObject({ code: 'NX_ERR_SUBMISSION_STATUS_TRANSITION' });
  });

  it('an update that breaks a submitted record is refused with 422', async () => {
    const s = (
      await a.call('pingchangStaff', 'POST', url, { data: complete('已提交户'), status: 'submitted' })
    ).json() as Sub;
    const r = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s.id}`, {
      data: { householdSize: 99 },
      version: 1,
    });
    expect(r.statusCode).toBe(422);
    expect((r.json() as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(
      '/householdSize',
    );
  });

  it('soft delete hides the submission from reads and lists; the audit trail records every change', async () => {
    const s = (await a.call('pingchangStaff', 'POST', url, { data: complete('删除户') })).json() as Sub;
    await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s.id}`, {
      data: { householdSize: 5 },
      version: 1,
    });
    expect((await a.call('pingchangStaff', 'DELETE', `/api/submissions/${s.id}`)).statusCode).toBe(403);
    const del = await a.call('pingchangReviewer', 'DELETE', `/api/submissions/${s.id}`, undefined, {
      'if-match': '"2"',
    });
    expect(del.statusCode).toBe(204);
    expect((await a.call('pingchangStaff', 'GET', `/api/submissions/${s.id}`)).statusCode).toBe(404);
    const list = (await a.call('pingchangStaff', 'GET', `${url}?limit=200`)).json() as { items: Sub[] };
    expect(list.items.map((i) => i.id)).not.toContain(s.id);
    const row = await t.db
      .selectFrom('submissions')
      .select('deleted_at')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'diff'])
      .where('entity_id', '=', s.id)
      .orderBy('id')
      .execute();
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['submission.create', 'pingchangStaff'],
      ['submission.update', 'pingchangStaff'],
      ['submission.delete', 'pingchangReviewer'],
    ]);
    expect(JSON.parse(audit[1]!.diff)).toEqual({
      before: { version: 1, data: { householdSize: 3 } },
      after: { version: 2, data: { householdSize: 5 } },
    });
  });

  it('the audit endpoint shows the history of a submission, oldest first', async () => {
    const s = (await a.call('pingchangStaff', 'POST', url, { data: complete('审计户') })).json() as Sub;
    await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s.id}`, {
      data: { headName: '审计户2' },
      version: 1,
    });
    const r = (await a.call('bazhongReviewer', 'GET', `/api/submissions/${s.id}/audit`)).json() as {
      items: { action: string; actor: string; diff: { after: { data: Record<string, unknown> } } }[];
    };
    expect(r.items.map((i) => i.action)).toEqual(['submission.create', 'submission.update']);
    expect(r.items[1]?.diff.after.data).toEqual({ headName: '审计户2' });
  });

  it('a write that fails mid-transaction leaves neither the row nor its audit entry', async () => {
    const before = await count();
    const audits = async () =>
      Number(
        (
          await t.db
            .selectFrom('audit_log')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const auditsBefore = await audits();
    // A hook that refuses after the insert: everything rolls back.
    const { SubmissionService } = await import('../../../engine/submissions/service.ts');
    const svc = new SubmissionService(t.db, a.app.nuanxin.forms, [
      {
        afterSave() {
          throw new Error('refused by hook');
        },
      },
    ]);
    const { resolveToken } = await import('../../../engine/auth/tokens.ts');
    const who = await resolveToken(t.db, await a.token('pingchangStaff'));
    await expect(svc.create(who!, FORM, { data: complete('回滚户') })).rejects.toThrow('refused by hook');
    expect(await count()).toBe(before);
    expect(await audits()).toBe(auditsBefore);
  });

  it('lists filter by status, period, created date and field values, with keyset pagination', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await a.call('bazhouStaff', 'POST', url, {
        data: { ...complete(`分页户${i}`, 100 + i), householdSize: i % 2 === 0 ? 2 : 6 },
        status: i < 3 ? 'submitted' : 'draft',
        period: '2021-06',
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const get = async (q: string) =>
      (await a.call('bazhouStaff', 'GET', `${url}?${q}`)).json() as {
        items: Sub[];
        nextCursor: string | null;
      };
    expect((await get('status=submitted')).items).toHaveLength(3);
    expect((await get('period=2021-06')).items).toHaveLength(5);
    expect((await get('period=2021-09')).items).toHaveLength(0);
    expect((await get('field.householdSize=6')).items.map((s) => s.data.headName).sort()).toEqual([
      '分页户1',
      '分页户3',
    ]);
    expect((await get('field.headName=%E5%88%86%E9%A1%B5%E6%88%B72')).items).toHaveLength(1);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await get(`createdFrom=${today}&createdTo=${today}`)).items).toHaveLength(5);
    expect((await get('createdTo=2020-01-01')).items).toHaveLength(0);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Sub[]; nextCursor: string | null } = await get(
        `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await a.call('bazhouStaff', 'GET', `${url}?cursor=garbage`)).statusCode).toBe(400);
  });
});
