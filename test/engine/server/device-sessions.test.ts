import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

interface LoginBody {
  token: string;
  kind: string;
  expiresAt: string;
}
interface TokenItem {
  id: string;
  username: string;
  kind: string;
  name: string | null;
  current: boolean;
}

/**
 * A device session: a login “kept on this device” gets a token of kind `device` that lives
 * `deviceSessionDays` (not the session's hours), is listed and revocable like any token, cannot
 * mint API tokens, and ends with a password change like the user's other sessions.
 */
describe.each(dialects())('device sessions on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t, { deviceSessionDays: 7, sessionTtlMs: 3_600_000 });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const login = async (username: string, device?: { name: string }, password = PASSWORD) => {
    const r = await a.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password, ...(device ? { device } : {}) },
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as LoginBody;
  };
  const as = (
    token: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) =>
    a.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const days = (iso: string) => (Date.parse(iso) - Date.now()) / 86_400_000;

  it('lives the configured days; a login without it stays a session of hours', async () => {
    const d = await login('villageStaff', { name: 'Android · Chrome' });
    expect(d.kind).toBe('device');
    expect(days(d.expiresAt)).toBeGreaterThan(6.99);
    expect(days(d.expiresAt)).toBeLessThanOrEqual(7);
    const s = await login('villageStaff');
    expect(s.kind).toBe('session');
    expect(days(s.expiresAt)).toBeLessThan(0.05);
    expect((await as(d.token, 'GET', '/api/me')).json()).toMatchObject({ tokenKind: 'device' });
    const bad = await a.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'villageStaff', password: PASSWORD, device: { name: '' } },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('is listed with its name for its holder and the admin of the area, who revokes it', async () => {
    const d = await login('pingchangStaff', { name: '平昌 phone' });
    const own = (await as(d.token, 'GET', '/api/tokens')).json() as { items: TokenItem[] };
    const mine = own.items.find((x) => x.current);
    expect(mine).toMatchObject({ kind: 'device', name: '平昌 phone', username: 'pingchangStaff' });
    const admin = await login('bazhongAdmin');
    const area = (await as(admin.token, 'GET', '/api/tokens?username=pingchangStaff')).json() as {
      items: TokenItem[];
    };
    expect(area.items.some((x) => x.id === mine?.id && x.kind === 'device')).toBe(true);
    // Outside the area (成都) it does not exist.
    const far = await login('chengduStaff', { name: 'far' });
    const farId = ((await as(far.token, 'GET', '/api/tokens')).json() as { items: TokenItem[] }).items[0]?.id;
    expect((await as(admin.token, 'DELETE', `/api/tokens/${farId}`)).statusCode).toBe(404);
    expect((await as(admin.token, 'DELETE', `/api/tokens/${mine?.id}`)).statusCode).toBe(204);
    expect((await as(d.token, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('cannot mint API tokens', async () => {
    const d = await login('bazhongAdmin', { name: 'office laptop' });
    const r = await as(d.token, 'POST', '/api/tokens', { name: 'from a device' });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'NX_ERR_HTTP_FORBIDDEN' });
  });

  it('ends when its user changes the password (or logs out everywhere)', async () => {
    const d = await login('bazhouStaff', { name: 'phone' });
    const s = await login('bazhouStaff');
    const changed = await as(s.token, 'POST', '/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'amber-kettle-orchard-42',
    });
    expect(changed.statusCode, changed.body).toBeLessThan(300);
    expect((await as(d.token, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await as(s.token, 'GET', '/api/me')).statusCode).toBe(200);
    const d2 = await login('bazhouStaff', { name: 'phone' }, 'amber-kettle-orchard-42');
    expect((await as(s.token, 'POST', '/api/auth/logout-all')).statusCode).toBeLessThan(300);
    expect((await as(d2.token, 'GET', '/api/me')).statusCode).toBe(401);
  });
});
