import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Role } from '../../../engine/auth/roles.ts';
import { createUser } from '../../../engine/auth/users.ts';
import type { Database } from '../../../engine/entry/server.ts';
import { definePlugin } from '../../../engine/index.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { createPaymentsPlugin } from '../../../plugins/payments/index.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import type { TestDatabase } from '../../helpers/dialects.ts';

/**
 * The payments plugin on a stand-in `benefits` plugin: the benefits contract (table `benefits`
 * and the service `payableForMonth`) as the benefits plugin declares it, so the batch side is
 * tested on rows inserted directly, apart from the application workflow.
 */

export const COUNTY = '511923';
export const OTHER_COUNTY = '511902';

export const stubBenefitsPlugin = definePlugin({
  name: 'benefits',
  version: '0.1.0',
  engine: '^0.1.0',
  setup(api) {
    api.migrations.register('001_benefits', {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('benefits')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('household_key', 'text', (c) => c.notNull())
          .addColumn('head_name', 'text', (c) => c.notNull())
          .addColumn('org_code', 'text', (c) => c.notNull())
          .addColumn('org_path', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('period', 'text', (c) => c.notNull())
          .addColumn('amount_cents', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('start_month', 'text', (c) => c.notNull())
          .addColumn('end_month', 'text')
          .execute();
      },
    });
    api.services.provide({
      async payableForMonth(db: Kysely<Database>, args: { orgPath: string; month: string }) {
        const r = await sql<{
          id: string;
          household_key: string;
          head_name: string;
          type: string;
          period: string;
          amount_cents: number;
          org_code: string;
          org_path: string;
        }>`select * from benefits where status = 'active' and org_path like ${`${args.orgPath}%`}
            and start_month <= ${args.month} and (end_month is null or end_month >= ${args.month})
            and (period = 'monthly' or start_month = ${args.month}) order by org_path, id`.execute(db);
        return r.rows.map((b) => ({
          benefitId: b.id,
          householdKey: b.household_key,
          headName: b.head_name,
          type: b.type,
          period: b.period,
          amountCents: Number(b.amount_cents),
          orgCode: b.org_code,
          orgPath: b.org_path,
        }));
      },
    });
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

export async function insertBenefit(db: Kysely<Database>, b: BenefitRow): Promise<void> {
  const type = b.type ?? 'dibao';
  await sql`insert into benefits (id, household_key, head_name, org_code, org_path, type, period, amount_cents, status, start_month, end_month)
    values (${b.id}, ${b.idNumber}, ${b.headName}, ${b.orgCode ?? '511923102201'}, ${b.orgPath ?? VILLAGE_PATH},
      ${type}, ${type === 'linshi' ? 'once' : 'monthly'}, ${b.amountCents}, 'active', ${b.startMonth ?? '2026-01'}, null)`.execute(
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
