import { type Kysely, type Migration, sql } from 'kysely';
import { createTables, type Database } from '../../../engine/entry/server.ts';
import { monitoring004 } from '../monitoring/tables.ts';
import TABLES_001 from './tables-001.json' with { type: 'json' };

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
  // Added by migration 003 (null on rows written before it):
  /** What was decided: `submission` (later: a register record), its id and the version read. */
  subject_type: string | null;
  subject_id: string | null;
  subject_version: number | null;
  ruleset_version: number | null;
  /** JSON text: each applied parameter by alias, with its value, series and row id. */
  parameters: string | null;
  /** The common outputs as typed columns, so lists filter and join in SQL (null when absent). */
  in_roster: number | null;
  dibao_candidate: number | null;
  hardship_type: string | null;
  entitlement_fen: number | null;
  per_capita_fen: number | null;
};

export type RulesTables = {
  rule_parameters: RuleParameterTable;
  rule_decisions: RuleDecisionTable;
};

/** The core database seen with the rules tables. */
export type RulesDb = Kysely<Database & RulesTables>;

export const rulesDb = (db: Kysely<Database>): RulesDb => db.withTables<RulesTables>();

/** Parameters and decisions; the current decision is the newest row per (submission, ruleset). */
const tables001: Migration = {
  async up(db: Kysely<unknown>) {
    await createTables(db, TABLES_001);
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

/**
 * Decisions are dated and say what they decided: the subject and its version, the ruleset's
 * version, the parameters used, and the common outputs as typed columns. "The decision in force
 * for subject X on date D" is the row with the greatest `as_of` ≤ D (the newest on a tie): one
 * range scan of `rule_decisions_in_force`.
 */
const datedDecisions003: Migration = {
  async up(db: Kysely<unknown>) {
    const columns: [string, 'text' | 'integer'][] = [
      ['subject_type', 'text'],
      ['subject_id', 'text'],
      ['subject_version', 'integer'],
      ['ruleset_version', 'integer'],
      ['parameters', 'text'],
      ['in_roster', 'integer'],
      ['dibao_candidate', 'integer'],
      ['hardship_type', 'text'],
      ['entitlement_fen', 'integer'],
      ['per_capita_fen', 'integer'],
    ];
    for (const [name, type] of columns)
      await db.schema.alterTable('rule_decisions').addColumn(name, type).execute();
    await sql`update rule_decisions set subject_type = 'submission', subject_id = submission_id`.execute(db);
    await db.schema
      .createIndex('rule_decisions_in_force')
      .on('rule_decisions')
      .columns(['subject_type', 'subject_id', 'ruleset_id', 'as_of', 'created_at', 'id'])
      .execute();
    // Lists read the decisions in force for many submissions at once.
    await db.schema
      .createIndex('rule_decisions_submission_as_of')
      .on('rule_decisions')
      .columns(['submission_id', 'ruleset_id', 'as_of', 'created_at', 'id'])
      .execute();
  },
};

/** The plugin's migrations, registered through `api.migrations`. */
export const RULES_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_tables': tables001,
  '002_parameter_history': appendOnlyParameters002,
  '003_dated_decisions': datedDecisions003,
  '004_monitoring': monitoring004,
};
