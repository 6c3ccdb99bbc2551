import type { Kysely, Migration } from 'kysely';
import { createTables, type Database } from '../../engine/entry/server.ts';
import TABLES_001 from './tables-001.json' with { type: 'json' };

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
    await createTables(db, TABLES_001);
  },
};

export const CROSSCHECKS_MIGRATIONS: Readonly<Record<string, Migration>> = { '001_tables': tables001 };
