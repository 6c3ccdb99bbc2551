import type { Kysely, Migration } from 'kysely';
import type { Database } from '../../../engine/index.ts';

/**
 * The rules plugin's tables: dated parameters per org unit and area (`rule_parameters`), and the
 * decisions made on submissions (`rule_decisions`, the latest row per submission and ruleset is
 * the current one). Values and JSON are stored the same way on SQLite and PostgreSQL.
 */

export type RuleParameterTable = {
  id: string;
  name: string;
  org_code: string;
  area: 'urban' | 'rural' | null;
  valid_from: string;
  value: number;
  created_at: string;
  created_by: string | null;
  /** 1 on a row that withdraws the value of its series and date (added by migration 002). */
  withdrawn: number;
  /** Why the value was set or withdrawn. */
  note: string | null;
};

export type RuleDecisionTable = {
  id: string;
  submission_id: string;
  ruleset_id: string;
  as_of: string;
  org_code: string;
  /** JSON text of the decision's outputs. */
  outputs: string;
  /** JSON text: the applied parameters, facts and per-rule explanation. */
  explanation: string;
  created_at: string;
  created_by: string | null;
};

export type RulesTables = {
  rule_parameters: RuleParameterTable;
  rule_decisions: RuleDecisionTable;
};

/** The core database seen with the rules tables. */
export type RulesDb = Kysely<Database & RulesTables>;

export const rulesDb = (db: Kysely<Database>): RulesDb => db.withTables<RulesTables>();

const tables001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rule_parameters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('org_code', 'text', (c) => c.notNull())
      .addColumn('area', 'text')
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    await db.schema
      .createIndex('rule_parameters_series')
      .on('rule_parameters')
      .columns(['name', 'org_code', 'valid_from'])
      .execute();

    await db.schema
      .createTable('rule_decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('submission_id', 'text', (c) => c.notNull())
      .addColumn('ruleset_id', 'text', (c) => c.notNull())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('org_code', 'text', (c) => c.notNull())
      .addColumn('outputs', 'text', (c) => c.notNull())
      .addColumn('explanation', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    // The current decision is the newest row per (submission, ruleset).
    await db.schema
      .createIndex('rule_decisions_latest')
      .on('rule_decisions')
      .columns(['submission_id', 'ruleset_id', 'created_at'])
      .execute();
  },
};

/** Parameter rows are only added: a superseding or withdrawing row says so, with why. */
const appendOnlyParameters002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('rule_parameters')
      .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('rule_parameters').addColumn('note', 'text').execute();
  },
};

/** The plugin's migrations, registered through `api.migrations`. */
export const RULES_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_tables': tables001,
  '002_parameter_history': appendOnlyParameters002,
};
