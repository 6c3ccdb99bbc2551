import { loadDemo } from '../../../demo/load-demo.ts';
import { DEMO_PASSWORD } from '../../../demo/users.ts';
import { runPluginSeeds } from '../../../engine/entry/server.ts';
import { loadPlugins } from '../../../engine/index.ts';
import { buildApp } from '../../../engine/server/app.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { householdData, plusDays } from '../../engine/workflow-store/setup.ts';
import type { TestDatabase } from '../../helpers/dialects.ts';

export interface Reply {
  readonly statusCode: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface BenefitsApp {
  readonly app: Awaited<ReturnType<typeof buildApp>>;
  now: string;
  call(user: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The demo with the shipped workflows and the plugins they need; the server's clock moves with `now`. */
export async function benefitsApp(t: TestDatabase, start = '2021-06-01T02:00:00.000Z'): Promise<BenefitsApp> {
  await loadDemo(t.db);
  const loaded = await loadPlugins(
    { plugins: ['rules', 'registers', 'benefits', 'report'] },
    { engineVersion: '0.1.0', builtins: builtinPlugins, logger: SILENT },
  );
  const state = { now: start };
  const app = await buildApp({
    db: t.db,
    clock: () => state.now,
    workflows: {
      dir: 'workflows',
      effects: loaded.effects,
      operations: loaded.operations,
      clock: () => state.now,
      timerIntervalMs: false,
    },
    ...pluginAppOptions(loaded),
  });
  await runPluginSeeds(t.db, loaded);
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
  return {
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
}

/** A survey of a family with no income and no savings: a 低保 candidate under any standard. */
export function poorFamily(seed: number): Record<string, unknown> {
  const d = householdData(seed);
  const members = (d.members as Record<string, unknown>[]).map((m) => ({ ...m, annualIncome: 0 }));
  return { ...d, members, headAnnualIncome: 0, pension: 0, cashDeposits: 0, vehicles: [], otherAssets: '' };
}

/** A survey of a family far above the standard. */
export function wellOffFamily(seed: number): Record<string, unknown> {
  return { ...householdData(seed), headAnnualIncome: 240000 };
}

/** An application for the household whose head holds `idNumber`. */
export function application(
  survey: Record<string, unknown>,
  type: 'dibao' | 'tekun' | 'linshi' = 'dibao',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    headIdNumber: survey.headIdNumber,
    headName: survey.headName,
    assistanceType: type,
    idCardChecked: true,
    authorizationSigned: true,
    authorizationDate: '2021-06-01',
    applicationDate: '2021-06-01',
    ...extra,
  };
}

export { plusDays };
