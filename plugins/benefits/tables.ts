import type { Kysely, Migration } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';

/**
 * The benefits plugin's tables. A benefit is what an approval decided a household receives;
 * `benefit_changes` is its history (create, adjust, suspend, resume, stop), each effective from a
 * month, so the amount and status in force in any past month can be read back.
 */

/** 低保 and 特困 are paid monthly; 临时救助 once. */
export type BenefitType = 'dibao' | 'tekun' | 'linshi';
export type BenefitPeriod = 'monthly' | 'once';
export type BenefitStatus = 'active' | 'suspended' | 'stopped';
export type BenefitAction = 'create' | 'adjust' | 'suspend' | 'resume' | 'stop';

export const BENEFIT_TYPES: readonly BenefitType[] = ['dibao', 'tekun', 'linshi'];
export const BENEFIT_ACTIONS: readonly BenefitAction[] = ['create', 'adjust', 'suspend', 'resume', 'stop'];

export type BenefitTable = {
  /** uuid */
  id: string;
  /** The head's ID number, normalised: the households register's key. */
  household_key: string;
  head_name: string;
  org_code: string;
  /** Materialised path of the household's unit, `/510000/511900/…/`. */
  org_path: string;
  type: BenefitType;
  period: BenefitPeriod;
  /** Per month (monthly) or the one-off amount, in fen; the amount in force now. */
  amount_cents: number;
  status: BenefitStatus;
  /** YYYY-MM: the first month payable. */
  start_month: string;
  /** YYYY-MM: the last month payable (set when stopped). */
  end_month: string | null;
  /** YYYY-MM-DD: when the household is to be reviewed again. */
  next_review_on: string | null;
  /** The application's submission id. */
  application_id: string;
  /** The workflow instance id of the approval. */
  case_id: string;
  /** The stored rules decision the amount came from (its as-of date and parameter values). */
  decision_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
};

export type BenefitChangeTable = {
  id: string;
  benefit_id: string;
  action: BenefitAction;
  from_status: BenefitStatus | null;
  to_status: BenefitStatus;
  amount_cents_before: number | null;
  amount_cents_after: number;
  /** YYYY-MM: from which month the change applies. */
  effective_month: string;
  reason: string;
  /** Username; null when a workflow timer or the system acted. */
  actor: string | null;
  /** ISO instant; strictly increasing within a process, so changes of one month keep their order. */
  at: string;
};

export type BenefitTables = { benefits: BenefitTable; benefit_changes: BenefitChangeTable };
export type BenefitsDb = Kysely<Database & BenefitTables>;

export const benefitsDb = (db: Kysely<Database>): BenefitsDb => db.withTables<BenefitTables>();

export const BENEFITS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_benefits': {
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
        .addColumn('next_review_on', 'text')
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('decision_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('benefits_org_path').on('benefits').column('org_path').execute();
      await db.schema.createIndex('benefits_household').on('benefits').column('household_key').execute();
      await db.schema.createIndex('benefits_status').on('benefits').column('status').execute();
      // One benefit per approved application: a replayed approval cannot create a second.
      await db.schema
        .createIndex('benefits_application')
        .on('benefits')
        .columns(['application_id', 'type'])
        .unique()
        .execute();
      await db.schema
        .createTable('benefit_changes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('benefit_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('amount_cents_before', 'integer')
        .addColumn('amount_cents_after', 'integer', (c) => c.notNull())
        .addColumn('effective_month', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('actor', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('benefit_changes_benefit')
        .on('benefit_changes')
        .columns(['benefit_id', 'effective_month', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('benefit_changes').execute();
      await db.schema.dropTable('benefits').execute();
    },
  },
};
