import type { Kysely, Migration } from 'kysely';
import { createTables, type Database } from '../../../engine/entry/server.ts';
import TABLES_004 from './tables-004.json' with { type: 'json' };

/**
 * Dynamic monitoring (动态监测): the jobs that re-decide families after a standard changed
 * (`monitoring_jobs`), and the change list they and re-surveys produce — work items for the
 * owning village, closed with an action (`monitoring_changes`).
 */

export type MonitoringJobTable = {
  id: string;
  ruleset_id: string;
  /** standard (a rule_parameters row) | manual */
  cause_type: string;
  /** The rule_parameters row id for a standard; unique per ruleset so a change is queued once. */
  cause_id: string;
  /** JSON text: what caused it (parameter, series, value or withdrawn, from which date). */
  cause: string;
  org_code: string;
  org_path: string;
  /** Decisions are made as of this date (the new value's `validFrom`) or later (the survey's date). */
  as_of: string;
  /** pending | running | done | failed */
  status: string;
  total: number | null;
  done: number;
  changes: number;
  /** The last submission id decided: the job resumes after it. */
  cursor: string | null;
  created_at: string;
  created_by: string | null;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
};

export type MonitoringChangeTable = {
  id: string;
  /** What makes the item unique: `<jobId>:<submission>`, `survey:<versionId>`, `revisit:<submission>`. */
  source_key: string;
  job_id: string | null;
  ruleset_id: string;
  submission_id: string;
  org_code: string;
  org_path: string;
  /** joined | left | candidate | type | entitlement | revisit — the first that applies. */
  kind: string;
  /** JSON array of every kind that applies. */
  kinds: string;
  /** JSON text: inRoster, dibaoCandidate, hardshipType, entitlement before and after. */
  before: string;
  after: string;
  cause: string;
  decision_id: string | null;
  /** JSON text: the family's head name and ID number (masked on output without `pii`). */
  label: string;
  /** open | closed */
  status: string;
  action: string | null;
  note: string | null;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
};

export type MonitoringStateTable = { name: string; value: string };

export type MonitoringTables = {
  monitoring_jobs: MonitoringJobTable;
  monitoring_changes: MonitoringChangeTable;
  monitoring_state: MonitoringStateTable;
};

export type MonitoringDb = Kysely<Database & MonitoringTables>;
export const monitoringDb = (db: Kysely<Database>): MonitoringDb => db.withTables<MonitoringTables>();

export const monitoring004: Migration = {
  async up(db: Kysely<unknown>) {
    await createTables(db, TABLES_004);
    // Standards stored before monitoring existed are history, not changes to act on.
    await db
      .withTables<{ monitoring_state: MonitoringStateTable }>()
      .insertInto('monitoring_state')
      .values({ name: 'standards-since', value: new Date().toISOString() })
      .execute();
  },
};
