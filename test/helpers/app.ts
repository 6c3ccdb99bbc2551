import type { FastifyInstance } from 'fastify';
import type { Role } from '../../engine/auth/roles.ts';
import { createUser } from '../../engine/auth/users.ts';
import type { FormDefinition } from '../../engine/definition/form-schema.ts';
import { publishDraft, saveDraft } from '../../engine/forms/form-store.ts';
import { importOrgUnits, type OrgUnitRow } from '../../engine/org/import.ts';
import { type BuildAppOptions, buildApp } from '../../engine/server/app.ts';
import type { TestDatabase } from './dialects.ts';
import { householdForm } from './forms.ts';

// Hashing cost is not what these tests are about; production keeps the default (2^15).
process.env.NUANXIN_SCRYPT_LOG2N ??= '10';

/** A small tree: Sichuan, two cities, counties in each, and a township and village in 平昌县. */
export const TEST_ORG_UNITS: OrgUnitRow[] = [
  { code: '510000', name: '四川省', parent: null, level: 'province' },
  { code: '510100', name: '成都市', parent: '510000', level: 'city' },
  { code: '510104', name: '锦江区', parent: '510100', level: 'county' },
  { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
  { code: '511902', name: '巴州区', parent: '511900', level: 'county' },
  { code: '511923', name: '平昌县', parent: '511900', level: 'county' },
  { code: '511923102', name: '白衣镇', parent: '511923', level: 'township' },
  { code: '511923102201', name: '白衣村', parent: '511923102', level: 'village' },
];

export const PASSWORD = 'test-password-1';

/** One user per situation the tests need: username → org unit, roles, pii. */
export const TEST_USERS: Record<string, { org: string; roles: Role[]; pii: boolean }> = {
  admin: { org: '510000', roles: ['admin'], pii: true },
  bazhongAdmin: { org: '511900', roles: ['admin'], pii: true },
  bazhongReviewer: { org: '511900', roles: ['reviewer'], pii: true },
  pingchangStaff: { org: '511923', roles: ['field_staff'], pii: true },
  pingchangViewer: { org: '511923', roles: ['viewer'], pii: false },
  pingchangReviewer: { org: '511923', roles: ['reviewer'], pii: true },
  villageStaff: { org: '511923102201', roles: ['field_staff'], pii: false },
  bazhouStaff: { org: '511902', roles: ['field_staff'], pii: true },
  bazhouReviewer: { org: '511902', roles: ['reviewer'], pii: true },
  chengduStaff: { org: '510104', roles: ['field_staff'], pii: true },
};

export interface TestApp {
  app: FastifyInstance;
  /** A session token for a user of TEST_USERS (cached per app). */
  token(username: keyof typeof TEST_USERS): Promise<string>;
  /** Authorised inject: `call('alice', 'GET', '/api/me')`. */
  call(
    username: keyof typeof TEST_USERS,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ statusCode: number; json: () => unknown; headers: Record<string, unknown>; body: string }>;
  close(): Promise<void>;
}

/** Seeds org units, users and a published form, then builds the app on `t.db`. */
export async function testApp(
  t: TestDatabase,
  opts: Partial<BuildAppOptions> & { form?: FormDefinition } = {},
): Promise<TestApp> {
  await importOrgUnits(t.db, TEST_ORG_UNITS);
  await Promise.all(
    Object.entries(TEST_USERS).map(([username, u]) =>
      createUser(t.db, {
        username,
        password: PASSWORD,
        orgCode: u.org,
        roles: u.roles,
        permissions: u.pii ? ['pii'] : [],
      }),
    ),
  );
  await saveDraft(t.db, opts.form ?? householdForm(), 'test');
  await publishDraft(t.db, (opts.form ?? householdForm()).id, 'test');
  const app = await buildApp({ db: t.db, ...opts });
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    const hit = tokens.get(username);
    if (hit) return hit;
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: PASSWORD },
    });
    if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
    const tok = (r.json() as { token: string }).token;
    tokens.set(username, tok);
    return tok;
  };
  return {
    app,
    token,
    async call(username, method, url, body, headers = {}) {
      const r = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${await token(username)}`, ...headers },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
      return { statusCode: r.statusCode, json: () => r.json(), headers: r.headers, body: r.body };
    },
    close: () => app.close(),
  };
}
