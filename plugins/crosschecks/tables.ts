import type { Kysely, Migration } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';

/**
 * The plugin's fixed tables. Each list also has a generated table of its own, `list_<id>`, one
 * row per delivered row with a typed column per list column (see `list-table.ts`).
 */

export type DeliveryTable = {
  id: string;
  list_id: string;
  list_version: number;
  /** sha256 of the delivered rows (header and cells): the same file twice is one delivery. */
  content_hash: string;
  /** The unit the delivery is for (a county …): what it is compared with, who sees it. */
  org_code: string;
  org_path: string;
  file_name: string | null;
  rows: number;
  rejected: number;
  imported_by: string;
  imported_at: string;
  valid_until: string;
};

export type FindingTable = {
  id: string;
  comparison_id: string;
  rule_id: string;
  list_id: string;
  /** The normalised ID number the finding is about. */
  subject: string;
  record_id: string | null;
  delivery_id: string;
  type: string;
  severity: string;
  /** JSON text: `{ "list.x": …, "register.y": … }`, the values compared. */
  compared: string;
  /** `compared` again (migration 002): a closed finding opens again only when it changes. */
  fingerprint: string;
  owner_org_code: string;
  owner_org_path: string;
  /** open | closed */
  status: string;
  /** corrected | not_applicable | survey_done | cleared (no longer found by a later delivery) */
  resolution: string | null;
  reason: string | null;
  due_date: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
};

export type ReferralTable = {
  id: string;
  /** finding | case */
  source: string;
  source_id: string;
  subject: string;
  record_id: string | null;
  /** medical | education | housing | employment */
  department: string;
  note: string | null;
  /** open | accepted | done | declined */
  status: string;
  answer: string | null;
  owner_org_code: string;
  owner_org_path: string;
  due_date: string;
  created_by: string;
  created_at: string;
  answered_by: string | null;
  answered_at: string | null;
};

export type ReferralItemTable = {
  id: string;
  referral_id: string;
  seq: number;
  text: string;
  /** open | in_progress | done | not_possible */
  status: string;
  note: string | null;
  updated_by: string | null;
  updated_at: string;
};

/** A department's accounts: the user answers referrals to its department within its unit's subtree. */
export type DepartmentUserTable = {
  username: string;
  department: string;
  added_by: string;
  added_at: string;
};

export type CrosschecksTables = {
  crosscheck_deliveries: DeliveryTable;
  crosscheck_findings: FindingTable;
  crosscheck_referrals: ReferralTable;
  crosscheck_referral_items: ReferralItemTable;
  crosscheck_department_users: DepartmentUserTable;
};

export type CrosschecksDb = Kysely<Database & CrosschecksTables>;
export const crosschecksDb = (db: Kysely<Database>): CrosschecksDb => db.withTables<CrosschecksTables>();

const tables001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('crosscheck_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('list_id', 'text', (c) => c.notNull())
      .addColumn('list_version', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('org_code', 'text', (c) => c.notNull())
      .addColumn('org_path', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text')
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('rejected', 'integer', (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text', (c) => c.notNull())
      .addUniqueConstraint('crosscheck_deliveries_content', ['list_id', 'org_code', 'content_hash'])
      .execute();

    await db.schema
      .createTable('crosscheck_findings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('comparison_id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('list_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text')
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('compared', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('owner_org_code', 'text', (c) => c.notNull())
      .addColumn('owner_org_path', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('resolution', 'text')
      .addColumn('reason', 'text')
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('closed_by', 'text')
      .addUniqueConstraint('crosscheck_findings_subject', ['comparison_id', 'rule_id', 'subject'])
      .execute();
    await db.schema
      .createIndex('crosscheck_findings_inbox')
      .on('crosscheck_findings')
      .columns(['owner_org_path', 'status', 'id'])
      .execute();

    await db.schema
      .createTable('crosscheck_referrals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text')
      .addColumn('department', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('answer', 'text')
      .addColumn('owner_org_code', 'text', (c) => c.notNull())
      .addColumn('owner_org_path', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('answered_by', 'text')
      .addColumn('answered_at', 'text')
      .execute();
    await db.schema
      .createIndex('crosscheck_referrals_inbox')
      .on('crosscheck_referrals')
      .columns(['department', 'owner_org_path', 'status'])
      .execute();

    await db.schema
      .createTable('crosscheck_referral_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('referral_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('crosscheck_referral_items_referral')
      .on('crosscheck_referral_items')
      .columns(['referral_id', 'seq'])
      .execute();

    await db.schema
      .createTable('crosscheck_department_users')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('department', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .execute();
  },
};

export const CROSSCHECKS_MIGRATIONS: Readonly<Record<string, Migration>> = { '001_tables': tables001 };
