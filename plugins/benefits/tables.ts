import type { Kysely, Migration } from 'kysely';
import { createTables, type Database, dropTables } from '../../engine/entry/server.ts';
import TABLES_001 from './tables-001.json' with { type: 'json' };

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

/** The benefits and their changes; one benefit per approved application, so a replayed approval cannot create a second. */
export const BENEFITS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_benefits': {
    async up(db: Kysely<unknown>) {
      await createTables(db, TABLES_001);
    },
    async down(db: Kysely<unknown>) {
      await dropTables(db, TABLES_001);
    },
  },
};
