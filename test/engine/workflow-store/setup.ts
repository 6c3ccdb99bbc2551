import { loadDemo } from '../../../demo/load-demo.ts';
import { DEMO_PASSWORD } from '../../../demo/users.ts';
import type { Role } from '../../../engine/auth/roles.ts';
import { createUser } from '../../../engine/auth/users.ts';
import { type BuildAppOptions, buildApp } from '../../../engine/server/app.ts';
import { createEffectRegistry, type EffectRegistry } from '../../../engine/workflow/effects.ts';
import type { StoreEffectContext } from '../../../engine/workflow-store/apply.ts';
import type { WorkflowServerOptions } from '../../../engine/workflow-store/server.ts';
import { makeHousehold } from '../../factories/household.ts';
import '../../helpers/app.ts';
import type { TestDatabase } from '../../helpers/dialects.ts';

/** Demo users (the county head among them) plus the people the demo lacks: a province reviewer, and outsiders. */
export const EXTRA_USERS: Record<string, { org: string; roles: Role[] }> = {
  'province.reviewer': { org: '510000', roles: ['reviewer'] },
  'chengdu.reviewer': { org: '510100', roles: ['reviewer'] },
  'baiyi.reviewer2': { org: '511923102', roles: ['reviewer'] },
  'baiyicun.staff2': { org: '511923102201', roles: ['field_staff'] },
  // 江口街道 (another township of 平昌县) and 通江县 (another county of 巴中市).
  'jiangkou.reviewer': { org: '511923100', roles: ['reviewer'] },
  'tongjiang.reviewer': { org: '511921', roles: ['reviewer'] },
};

export interface Reply {
  readonly statusCode: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface WorkflowTestApp {
  readonly app: Awaited<ReturnType<typeof buildApp>>;
  /** The server's clock: tests move it. */
  now: string;
  call(user: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * The engine's workflow tests run on a fixture: the approval path as it ran on the survey itself
 * (township, check, county, notice timer, countersign, finance and bank steps with money inputs).
 * The shipped workflow runs on applications and needs the benefits plugin (test/plugins/benefits).
 */
export const FIXTURE_WORKFLOWS = 'test/fixtures/workflows';

/** Switches of the stand-in effect: make its next run throw. */
export const effectSwitch = { failNext: false };

/**
 * A stand-in for the rules plugin's `rules.evaluate` (the plugin itself is tested with its own
 * store): it writes through `ctx.db` — the transition's transaction — and can be made to throw.
 */
export function testEffects(): EffectRegistry {
  return createEffectRegistry([
    {
      name: 'rules.evaluate',
      async run(ctx) {
        const { db } = ctx as StoreEffectContext;
        await db
          .insertInto('audit_log')
          .values({
            at: ctx.now,
            actor: ctx.actor?.id ?? null,
            action: 'test.effect',
            entity_type: 'submission',
            entity_id: ctx.submission.id ?? '',
            org_path: null,
            diff: JSON.stringify({ before: null, after: { effect: 'rules.evaluate' } }),
          })
          .execute();
        if (effectSwitch.failNext) {
          effectSwitch.failNext = false;
          throw new Error('rules service unavailable');
        }
        return { decision: { ruleset: ctx.params?.ruleset, state: ctx.instance.state } };
      },
    },
  ]);
}

/** The demo (divisions, users, seed forms) with the shipped workflows and the stand-in effect. */
export async function workflowApp(
  t: TestDatabase,
  start = '2021-06-01T02:00:00.000Z',
  opts: Partial<WorkflowServerOptions> = {},
  appOptions: Partial<BuildAppOptions> = {},
): Promise<WorkflowTestApp> {
  await loadDemo(t.db);
  for (const [username, u] of Object.entries(EXTRA_USERS)) {
    await createUser(t.db, {
      username,
      password: DEMO_PASSWORD,
      orgCode: u.org,
      roles: u.roles,
      permissions: ['pii'],
    });
  }
  const state = { now: start };
  const app = await buildApp({
    ...appOptions,
    db: t.db,
    workflows: {
      dir: FIXTURE_WORKFLOWS,
      effects: testEffects(),
      clock: () => state.now,
      timerIntervalMs: false,
      ...opts,
    },
  });
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    const hit = tokens.get(username);
    if (hit) return hit;
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.body}`);
    const tok = (r.json() as { token: string }).token;
    tokens.set(username, tok);
    return tok;
  };
  const out: WorkflowTestApp = {
    app,
    get now() {
      return state.now;
    },
    set now(v: string) {
      state.now = v;
    },
    async call(user, method, url, body) {
      const r = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${await token(user)}` },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
      return { statusCode: r.statusCode, body: r.body, json: <T>() => r.json() as T };
    },
    close: () => app.close(),
  };
  return out;
}

/** A household survey the submit guard accepts (signed, surveyor named); ages are as of its survey date. */
export function householdData(seed = 11): Record<string, unknown> {
  const h = makeHousehold(seed);
  return { ...h, householdSignature: 'signed', surveyorName: '李四' };
}

/** Adds a duration in days to an ISO instant. */
export const plusDays = (iso: string, days: number): string =>
  new Date(Date.parse(iso) + days * 86_400_000).toISOString();
