import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Role } from '../../../engine/auth/roles.ts';
import { createUser } from '../../../engine/auth/users.ts';
import type { Database } from '../../../engine/entry/server.ts';
import { definePlugin } from '../../../engine/index.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { payableForMonth } from '../../../plugins/benefits/read.ts';
import { BENEFITS_MIGRATIONS } from '../../../plugins/benefits/tables.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { createPaymentsPlugin } from '../../../plugins/payments/index.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import type { TestDatabase } from '../../helpers/dialects.ts';

/**
 * The payments plugin on the benefits plugin's tables and `payableForMonth` (not its workflow
 * hooks), so the batch side is tested on benefits inserted directly, apart from the application
 * workflow.
 */

export const COUNTY = '511923';
export const OTHER_COUNTY = '511902';

export const stubBenefitsPlugin = definePlugin({
  name: 'benefits',
  version: '0.1.0',
  engine: '^0.1.0',
  setup(api) {
    // The benefits plugin's own tables and reader, without its workflow hooks and effects.
    for (const [name, m] of Object.entries(BENEFITS_MIGRATIONS)) api.migrations.register(name, m);
    api.services.provide({ payableForMonth });
  },
});

export const VILLAGE_PATH = '/510000/511900/511923/511923102/511923102201/';
export const OTHER_PATH = '/510000/511900/511902/';

export interface BenefitRow {
  id: string;
  idNumber: string;
  headName: string;
  type?: 'dibao' | 'tekun' | 'linshi';
  amountCents: number;
  startMonth?: string;
  orgCode?: string;
  orgPath?: string;
}

/** A benefit and its `create` change, as the benefits plugin writes them on approval. */
export async function insertBenefit(db: Kysely<Database>, b: BenefitRow): Promise<void> {
  const type = b.type ?? 'dibao';
  const start = b.startMonth ?? '2026-01';
  const once = type === 'linshi';
  const at = '2026-01-01T00:00:00.000Z';
  await sql`insert into benefits (id, household_key, head_name, org_code, org_path, type, period, amount_cents,
      status, start_month, end_month, next_review_on, application_id, case_id, decision_id, created_at, updated_at, version)
    values (${b.id}, ${b.idNumber}, ${b.headName}, ${b.orgCode ?? '511923102201'}, ${b.orgPath ?? VILLAGE_PATH},
      ${type}, ${once ? 'once' : 'monthly'}, ${b.amountCents}, 'active', ${start}, ${once ? start : null}, null,
      ${randomUUID()}, ${randomUUID()}, null, ${at}, ${at}, 1)`.execute(db);
  await sql`insert into benefit_changes (id, benefit_id, action, from_status, to_status, amount_cents_before,
      amount_cents_after, effective_month, reason, actor, at)
    values (${randomUUID()}, ${b.id}, 'create', null, 'active', null, ${b.amountCents}, ${start}, 'test', null, ${at})`.execute(
    db,
  );
}

export const idOf = (seq: number, region = COUNTY) => makeIdcard({ region, birthDate: '1958-04-02', seq });

/** Users of the four parties, in 平昌县 and in 巴州区 (another county). */
export const PARTY_USERS: Record<string, { org: string; roles: Role[]; pii: boolean }> = {
  pcFinance: { org: COUNTY, roles: ['finance'], pii: true },
  pcBank: { org: COUNTY, roles: ['bank'], pii: true },
  pcBankNoPii: { org: COUNTY, roles: ['bank'], pii: false },
  pcHrss: { org: COUNTY, roles: ['hrss'], pii: true },
  bzFinance: { org: OTHER_COUNTY, roles: ['finance'], pii: true },
  bzBank: { org: OTHER_COUNTY, roles: ['bank'], pii: true },
  bzHrss: { org: OTHER_COUNTY, roles: ['hrss'], pii: true },
};

/** A clock the test moves. */
export function testClock(start = '2026-03-05T02:00:00.000Z') {
  let now = start;
  return {
    now: () => now,
    set(iso: string) {
      now = iso;
    },
  };
}

export async function paymentsApp(t: TestDatabase, clock: () => string): Promise<TestApp> {
  const loaded = await loadPlugins(
    {
      plugins: [
        'rules',
        'report',
        'benefits',
        'sms-outbox',
        {
          use: 'payments',
          config: { agentBanks: [{ county: COUNTY, code: 'PCRCB', name: '平昌农商银行' }] },
        },
      ],
    },
    {
      engineVersion: '0.1.0',
      builtins: {
        ...builtinPlugins,
        benefits: stubBenefitsPlugin,
        payments: createPaymentsPlugin({ clock }),
      },
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    },
  );
  const a = await testApp(t, { ...pluginAppOptions(loaded) });
  for (const [username, u] of Object.entries(PARTY_USERS))
    await createUser(t.db, {
      username,
      password: PASSWORD,
      orgCode: u.org,
      roles: u.roles,
      permissions: u.pii ? ['pii'] : [],
    });
  return a;
}

export const newId = () => randomUUID();
