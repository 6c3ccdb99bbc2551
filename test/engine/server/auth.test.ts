import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../../../engine/errors/codes.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

describe.each(dialects())('auth, errors and the HTTP surface on $name', (dialect) => {
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

  const login = (username: string, password: string, ip = '10.0.0.1') =>
    a.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: ip,
    });
  const me = (token: string) =>
    a.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });

  it('logs in, answers /api/me, and refuses a wrong password with a stable code', async () => {
    const ok = await login('pingchangStaff', PASSWORD, '10.0.0.2');
    expect(ok.statusCode).toBe(200);
    const body = ok.json() as { token: string; expiresAt: string };
    expect(body.token).toMatch(/^nx_/);
    const m = await me(body.token);
    expect(m.json()).toMatchObject({
      user: { username: 'pingchangStaff', orgUnit: '511923' },
      orgUnit: { name: '平昌县' },
    });
    const stored = await t.db.selectFrom('auth_tokens').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(body.token);
    const bad = await login('pingchangStaff', 'wrong', '10.0.0.3');
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'NX_ERR_AUTH_INVALID_CREDENTIALS' });
    expect((await login('nobody', 'wrong', '10.0.0.3')).json()).toEqual(bad.json());
  });

  it('refuses missing, unknown, revoked and expired tokens', async () => {
    expect((await a.app.inject({ method: 'GET', url: '/api/me' })).json()).toMatchObject({
      code: 'NX_ERR_HTTP_UNAUTHORIZED',
    });
    expect((await me('nx_unknown')).json()).toMatchObject({ code: 'NX_ERR_AUTH_TOKEN_INVALID' });

    const token = ((await login('pingchangReviewer', PASSWORD, '10.0.0.4')).json() as { token: string })
      .token;
    expect((await me(token)).statusCode).toBe(200);
    const out = await a.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);

    const token2 = ((await login('pingchangReviewer', PASSWORD, '10.0.0.4')).json() as { token: string })
      .token;
    await t.db
      .updateTable('auth_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('revoked_at', 'is', null)
      .where('kind', '=', 'session')
      .execute();
    expect((await me(token2)).json()).toMatchObject({ code: 'NX_ERR_AUTH_TOKEN_INVALID' });
  });

  it('admins issue API tokens for themselves, never to act as a person of their area; others cannot', async () => {
    const r = await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'bank sync', expiresInDays: 30 });
    expect(r.statusCode, r.body).toBe(201);
    const api = r.json() as { token: string };
    expect((await me(api.token)).json()).toMatchObject({
      user: { username: 'bazhongAdmin' },
      tokenKind: 'api',
    });
    expect(
      (await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'x', username: 'bazhouStaff' })).json(),
    ).toMatchObject({ code: 'NX_ERR_TOKEN_NOT_SELF' });
    expect(
      (await a.call('bazhongAdmin', 'POST', '/api/tokens', { name: 'x', username: 'chengduStaff' }))
        .statusCode,
    ).toBe(404);
    expect((await a.call('pingchangStaff', 'POST', '/api/tokens', { name: 'x' })).statusCode).toBe(403);
  });

  it('admins create users in their subtree only; usernames are unique', async () => {
    const body = {
      username: 'newstaff',
      password: 'long-enough-1',
      orgUnit: '511923102201',
      roles: ['admin'],
    };
    const r = await a.call('bazhongAdmin', 'POST', '/api/users', body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ username: 'newstaff', roles: ['admin'], permissions: [] });
    expect(r.body).not.toContain('long-enough-1');
    expect((await a.call('bazhongAdmin', 'POST', '/api/users', body)).json()).toMatchObject({
      code: 'NX_ERR_USER_EXISTS',
    });
    expect(
      (
        await a.call('bazhongAdmin', 'POST', '/api/users', { ...body, username: 'cd', orgUnit: '510104' })
      ).json(),
    ).toMatchObject({
      code: 'NX_ERR_ORG_NOT_IN_SCOPE',
    });
    expect((await login('newstaff', 'long-enough-1', '10.0.0.5')).statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'diff'])
      .where('action', '=', 'user.create')
      .where('actor', '=', 'bazhongAdmin')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.diff).toContain('newstaff');
    expect(audit[0]?.diff).not.toContain('long-enough-1');
  });

  it('answers every error as { code, message } with a registered code', async () => {
    const responses = [
      await a.app.inject({ method: 'GET', url: '/api/nope' }),
      await a.call('admin', 'POST', '/api/users', { username: 1 }),
      await a.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username":',
      }),
      await a.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
      }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([404, 400, 400, 413]);
    for (const r of responses) {
      const body = r.json() as { code: string; message: { 'zh-CN': string; en: string } };
      expect(codes[body.code], body.code).toBeDefined();
      expect(body.message['zh-CN'].length).toBeGreaterThan(0);
    }
    const codeOf = (i: number) => (responses[i]!.json() as { code: string }).code;
    expect(codeOf(0)).toBe('NX_ERR_HTTP_ROUTE_NOT_FOUND');
    expect(responses[1]?.json()).toMatchObject({
      code: 'NX_ERR_HTTP_BAD_REQUEST',
      errors: [expect.objectContaining({ path: expect.stringMatching(/^\/body/) })],
    });
    expect(codeOf(2)).toBe('NX_ERR_HTTP_INVALID_JSON');
    expect(codeOf(3)).toBe('NX_ERR_HTTP_BODY_TOO_LARGE');
  });

  it('a 500 leaks nothing of its cause', async () => {
    const db2 = await dialect.open();
    const broken = await testApp(db2, {
      plugins: [
        async (p) => {
          p.get('/api/plugins/boom/fail', async () => {
            throw new Error('secret stack detail');
          });
        },
      ],
    });
    try {
      const r = await broken.call('admin', 'GET', '/api/plugins/boom/fail');
      expect(r.statusCode).toBe(500);
      expect(r.json()).toEqual({
        code: 'NX_ERR_HTTP_INTERNAL',
        message: codes.NX_ERR_HTTP_INTERNAL?.message,
      });
      expect(r.body).not.toContain('secret');
      // Plugin routes under /api/ require a token like every other.
      expect((await broken.app.inject({ method: 'GET', url: '/api/plugins/boom/fail' })).statusCode).toBe(
        401,
      );
    } finally {
      await broken.close();
      await db2.destroy();
    }
  });

  it('never writes passwords or tokens to the log', async () => {
    const lines: string[] = [];
    const db2 = await dialect.open();
    const logged = await testApp(db2, {
      logger: { level: 'trace', stream: { write: (line: string) => lines.push(line) } },
    });
    try {
      const r = await logged.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: PASSWORD },
      });
      const token = (r.json() as { token: string }).token;
      await logged.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(lines.length).toBeGreaterThan(0);
      const all = lines.join('\n');
      expect(all).not.toContain(PASSWORD);
      expect(all).not.toContain(token);
    } finally {
      await logged.close();
      await db2.destroy();
    }
  });

  it('serves security headers and the OpenAPI document listing every route at /docs', async () => {
    const r = await a.app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    const doc = r.json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const expected of [
      'POST /api/auth/login',
      'GET /api/me',
      'GET /api/org-units',
      'GET /api/forms',
      'POST /api/forms',
      'GET /api/forms/{id}',
      'POST /api/forms/{id}/versions',
      'POST /api/forms/{id}/publish',
      'POST /api/forms/{id}/overlays',
      'POST /api/forms/{id}/validate',
      'GET /api/forms/{id}/submissions',
      'POST /api/forms/{id}/submissions',
      'GET /api/submissions/{id}',
      'PATCH /api/submissions/{id}',
      'DELETE /api/submissions/{id}',
      'GET /api/submissions/{id}/audit',
      'GET /api/users',
      'POST /api/users',
    ]) {
      expect(routes).toContain(expected);
    }
    const ui = await a.app.inject({ method: 'GET', url: '/docs/' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
