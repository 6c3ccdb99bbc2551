import type { Kysely, Migration } from 'kysely';
import type { Database } from '../../../engine/entry/server.ts';

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
    await db.schema
      .createTable('monitoring_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ruleset_id', 'text', (c) => c.notNull())
      .addColumn('cause_type', 'text', (c) => c.notNull())
      .addColumn('cause_id', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('org_code', 'text', (c) => c.notNull())
      .addColumn('org_path', 'text', (c) => c.notNull())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('total', 'integer')
      .addColumn('done', 'integer', (c) => c.notNull())
      .addColumn('changes', 'integer', (c) => c.notNull())
      .addColumn('cursor', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('monitoring_jobs_cause')
      .unique()
      .on('monitoring_jobs')
      .columns(['cause_type', 'cause_id', 'ruleset_id'])
      .execute();
    await db.schema
      .createIndex('monitoring_jobs_status')
      .on('monitoring_jobs')
      .columns(['status', 'id'])
      .execute();

    await db.schema
      .createTable('monitoring_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source_key', 'text', (c) => c.notNull().unique())
      .addColumn('job_id', 'text')
      .addColumn('ruleset_id', 'text', (c) => c.notNull())
      .addColumn('submission_id', 'text', (c) => c.notNull())
      .addColumn('org_code', 'text', (c) => c.notNull())
      .addColumn('org_path', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('kinds', 'text', (c) => c.notNull())
      .addColumn('before', 'text', (c) => c.notNull())
      .addColumn('after', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('decision_id', 'text')
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('action', 'text')
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('closed_by', 'text')
      .execute();
    await db.schema
      .createIndex('monitoring_changes_inbox')
      .on('monitoring_changes')
      .columns(['status', 'org_path', 'id'])
      .execute();
    await db.schema
      .createIndex('monitoring_changes_job')
      .on('monitoring_changes')
      .columns(['job_id', 'id'])
      .execute();

    await db.schema
      .createTable('monitoring_state')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    // Standards stored before monitoring existed are history, not changes to act on.
    await db
      .withTables<{ monitoring_state: MonitoringStateTable }>()
      .insertInto('monitoring_state')
      .values({ name: 'standards-since', value: new Date().toISOString() })
      .execute();
  },
};
