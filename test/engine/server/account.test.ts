import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../../engine/auth/tokens.ts';
import { createUser } from '../../../engine/auth/users.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const NEW_PASSWORD = 'amber-kettle-orchard-42';

describe.each(dialects())('accounts and credentials on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let ip = 0;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t);
    // Accounts an admin of 巴中市 may manage: admins strictly below it, holding nothing it lacks.
    for (const username of ['pcAdminA', 'pcAdminB', 'pcAdminC', 'pcAdminD'])
      await createUser(t.db, {
        username,
        password: PASSWORD,
        orgCode: '511923',
        roles: ['admin'],
        permissions: ['pii'],
      });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const login = (username: string, password: string) =>
    a.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: `10.20.${ip >> 8}.${ip++ & 255}`,
    });
  const tokenOf = async (username: string, password = PASSWORD) => {
    const r = await login(username, password);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { token: string }).token;
  };
  const as = (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    a.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const works = async (token: string) => (await as(token, 'GET', '/api/me')).statusCode === 200;

  it('a user changes their own password with the current one; their other sessions end, this one stays', async () => {
    const here = await tokenOf('pcAdminA');
    const elsewhere = await tokenOf('pcAdminA');
    const api = await issueToken(
      t.db,
      (
        await t.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'pcAdminA')
          .executeTakeFirstOrThrow()
      ).id,
      { kind: 'api', ttlMs: 60_000 },
    );

    const wrong = await as(here, 'POST', '/api/me/password', {
      currentPassword: 'not-mine-at-all',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'NX_ERR_AUTH_CURRENT_PASSWORD_WRONG' });

    const weak = await as(here, 'POST', '/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'password123',
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({
      code: 'NX_ERR_AUTH_PASSWORD_REJECTED',
      errors: [
        { path: '/body/newPassword', code: 'NX_ERR_AUTH_PASSWORD_WEAK', hint: { en: expect.any(String) } },
      ],
    });
    expect(
      (
        await as(here, 'POST', '/api/me/password', {
          currentPassword: PASSWORD,
          newPassword: 'pcAdminA-2024!x',
        })
      ).json(),
    ).toMatchObject({
      errors: [{ code: 'NX_ERR_AUTH_PASSWORD_CONTAINS_USERNAME' }],
    });
    // An API token acts for the user but cannot change the user's password.
    expect(
      (
        await as(api.token, 'POST', '/api/me/password', {
          currentPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        })
      ).statusCode,
    ).toBe(403);

    const ok = await as(here, 'POST', '/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ sessionsEnded: 1 });
    expect(await works(here)).toBe(true);
    expect(await works(elsewhere)).toBe(false);
    expect(await works(api.token)).toBe(true);
    expect((await login('pcAdminA', PASSWORD)).statusCode).toBe(401);
    expect((await login('pcAdminA', NEW_PASSWORD)).statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'diff'])
      .where('action', '=', 'user.password.change')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.diff).not.toContain(NEW_PASSWORD);
  });

  it('an admin resets the password of a user of its area; its sessions end and its lock lifts', async () => {
    const victimSession = await tokenOf('pcAdminB');
    for (let i = 0; i < 5; i++) await login('pcAdminB', `wrong-${i}`);
    expect((await login('pcAdminB', PASSWORD)).json()).toMatchObject({ code: 'NX_ERR_AUTH_ACCOUNT_LOCKED' });

    const r = await a.call('bazhongAdmin', 'POST', '/api/users/pcAdminB/password', {
      newPassword: NEW_PASSWORD,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ sessionsEnded: 1 });
    expect(await works(victimSession)).toBe(false);
    expect((await login('pcAdminB', NEW_PASSWORD)).statusCode).toBe(200);
    expect(
      (
        await a.call('bazhongAdmin', 'POST', '/api/users/pcAdminB/password', { newPassword: '12345678' })
      ).json(),
    ).toMatchObject({
      code: 'NX_ERR_AUTH_PASSWORD_REJECTED',
      errors: [{ code: 'NX_ERR_AUTH_PASSWORD_TOO_SHORT' }],
    });
  });

  it('nobody resets, disables or enables an account outside their area, above their rights, a peer admin or themselves', async () => {
    const body = { newPassword: NEW_PASSWORD };
    const cases: [string, string, number, string][] = [
      ['bazhongAdmin', 'chengduStaff', 404, 'NX_ERR_HTTP_NOT_FOUND'],
      ['bazhongAdmin', 'no-such-user', 404, 'NX_ERR_HTTP_NOT_FOUND'],
      ['bazhongAdmin', 'pingchangStaff', 403, 'NX_ERR_USER_NOT_MANAGEABLE'],
      ['bazhongAdmin', 'bazhongAdmin', 409, 'NX_ERR_USER_SELF'],
      ['pingchangStaff', 'villageStaff', 403, 'NX_ERR_HTTP_FORBIDDEN'],
    ];
    for (const [actor, target, status, code] of cases)
      for (const path of ['password', 'disable', 'enable']) {
        const r = await a.call(
          actor,
          'POST',
          `/api/users/${target}/${path}`,
          path === 'password' ? body : undefined,
        );
        expect([r.statusCode, (r.json() as { code: string }).code], `${actor} ${path} ${target}`).toEqual([
          status,
          code,
        ]);
      }
    // Two admins of one unit cannot take over each other's account.
    const peer = await tokenOf('pcAdminC');
    const r = await as(peer, 'POST', '/api/users/pcAdminD/password', body);
    expect(r.json()).toMatchObject({ code: 'NX_ERR_USER_NOT_MANAGEABLE' });
    expect((await login('pcAdminD', PASSWORD)).statusCode).toBe(200);
  });

  it('a disabled user cannot log in and every token it held stops working; enabled again, it logs in anew', async () => {
    const session = await tokenOf('pcAdminC');
    const userId = (
      await t.db.selectFrom('users').select('id').where('username', '=', 'pcAdminC').executeTakeFirstOrThrow()
    ).id;
    const api = await issueToken(t.db, userId, { kind: 'api', ttlMs: 60_000 });
    const off = await a.call('bazhongAdmin', 'POST', '/api/users/pcAdminC/disable');
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ username: 'pcAdminC', disabled: true });
    expect(await works(session)).toBe(false);
    expect(await works(api.token)).toBe(false);
    const refused = await login('pcAdminC', PASSWORD);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'NX_ERR_AUTH_ACCOUNT_DISABLED' });
    // A wrong password says nothing about the account being disabled.
    expect((await login('pcAdminC', 'wrong-password-x')).json()).toMatchObject({
      code: 'NX_ERR_AUTH_INVALID_CREDENTIALS',
    });

    const on = await a.call('bazhongAdmin', 'POST', '/api/users/pcAdminC/enable');
    expect(on.json()).toMatchObject({ disabled: false });
    expect(await works(session)).toBe(false);
    expect(await works(api.token)).toBe(false);
    expect(await works(await tokenOf('pcAdminC'))).toBe(true);
    const actions = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', userId)
      .execute();
    expect(actions.map((x) => x.action)).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
  });

  it('log out everywhere revokes every session and API token of the caller', async () => {
    const one = await tokenOf('pcAdminD');
    const two = await tokenOf('pcAdminD');
    const userId = (
      await t.db.selectFrom('users').select('id').where('username', '=', 'pcAdminD').executeTakeFirstOrThrow()
    ).id;
    const api = await issueToken(t.db, userId, { kind: 'api', ttlMs: 60_000 });
    const other = await tokenOf('pingchangViewer');
    const live = await t.db
      .selectFrom('auth_tokens')
      .select('id')
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live.length).toBeGreaterThanOrEqual(3);
    const r = await as(one, 'POST', '/api/auth/logout-all');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ tokensRevoked: live.length });
    for (const tok of [one, two, api.token]) expect(await works(tok)).toBe(false);
    expect(await works(other)).toBe(true);
  });

  it('creating a user applies the password policy with codes and pointers', async () => {
    const body = { username: 'weakling', orgUnit: '511923', roles: ['admin'], permissions: ['pii'] };
    for (const [password, code] of [
      ['12345678', 'NX_ERR_AUTH_PASSWORD_TOO_SHORT'],
      ['password', 'NX_ERR_AUTH_PASSWORD_TOO_SHORT'],
      ['        ', 'NX_ERR_AUTH_PASSWORD_TOO_SHORT'],
      ['1234567890', 'NX_ERR_AUTH_PASSWORD_WEAK'],
      ['weakling-long-9', 'NX_ERR_AUTH_PASSWORD_CONTAINS_USERNAME'],
    ]) {
      const r = await a.call('bazhongAdmin', 'POST', '/api/users', { ...body, password });
      expect(r.statusCode, password).toBe(422);
      expect(r.json(), password).toMatchObject({
        code: 'NX_ERR_AUTH_PASSWORD_REJECTED',
        errors: [{ path: '/body/password', code }],
      });
    }
    expect(
      await t.db.selectFrom('users').select('id').where('username', '=', 'weakling').executeTakeFirst(),
    ).toBeUndefined();
  });
});
