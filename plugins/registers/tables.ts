import type { Kysely, Migration } from 'kysely';
import { createTables, type Database } from '../../engine/entry/server.ts';
import TABLES_001 from './tables-001.json' with { type: 'json' };
import TABLES_002 from './tables-002.json' with { type: 'json' };
import TABLES_003 from './tables-003.json' with { type: 'json' };

/**
 * The registers plugin's fixed tables. Each register also has a table of its own,
 * `register_<id>`, one row per record with a typed column per declared property (see
 * `typed-table.ts`); these hold what every register shares: versions, the key and member
 * indexes, flags (conflicts, duplicates) and pending transfers.
 */

export type RegisterVersionTable = {
  /** `<recordId>:<version>`. */
  id: string;
  register_id: string;
  record_id: string;
  version: number;
  /** The audit entry the version came from: the order in which writes are folded. */
  seq: number;
  /** submission | import | resolve | merge */
  source: string;
  submission_id: string | null;
  base_version: number | null;
  /** 1 when stored as a conflict (filled against an older version): not applied to the record. */
  conflict: number;
  /** JSON text of the property values. */
  properties: string;
  /** JSON text: the member identifiers (normalised). */
  members: string;
  actor: string | null;
  at: string;
  /** The day the version is true from (its survey date, else the day written); added by migration 002. */
  effective: string | null;
};

/**
 * Every status a record has had, with the day it took effect (a record's creation is `active`
 * from its first version's day; a closure says its own day): reports as of a date read the
 * status in force on it. Added by migration 002.
 */
export type RegisterStatusTable = {
  /** `<recordId>:<seq>`. */
  id: string;
  register_id: string;
  record_id: string;
  seq: number;
  status: string;
  reason: string | null;
  effective: string;
  actor: string | null;
  at: string;
};

/**
 * Every owner a record has had, with the day it owns it from: the unit of its first version
 * from that version's day, and each completed transfer's unit from the day it completed (the
 * app's clock). Reports as of a date list a record under the owner in force on it; a record
 * without rows here (filled before migration 003 and not rebuilt since) reads as its current
 * owner. Added by migration 003.
 */
export type RegisterOwnerTable = {
  /** `<recordId>:<seq>`. */
  id: string;
  register_id: string;
  record_id: string;
  seq: number;
  org_code: string;
  org_path: string;
  effective: string;
  actor: string | null;
  at: string;
};

export type RegisterKeyTable = { register_id: string; key: string; record_id: string };

export type RegisterMemberTable = {
  register_id: string;
  id_number: string;
  record_id: string;
  role: string;
};

export type RegisterFlagTable = {
  id: string;
  register_id: string;
  /** conflict | duplicate */
  kind: string;
  record_id: string;
  other_record_id: string | null;
  version: number | null;
  /** The identifier found twice (duplicates). */
  subject: string | null;
  /** Owner of `record_id` when flagged: the unit whose task it is. */
  org_path: string;
  status: string;
  seq: number;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
};

export type RegisterTransferTable = {
  id: string;
  register_id: string;
  record_id: string;
  from_org_code: string;
  to_org_code: string;
  requested_by: string;
  requested_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
};

export type RegisterSchemaTable = { register_id: string; version: number; columns: string };

export type RegisterTables = {
  register_versions: RegisterVersionTable;
  register_keys: RegisterKeyTable;
  register_members: RegisterMemberTable;
  register_flags: RegisterFlagTable;
  register_transfers: RegisterTransferTable;
  register_schemas: RegisterSchemaTable;
  register_statuses: RegisterStatusTable;
  register_owners: RegisterOwnerTable;
};

export type RegistersDb = Kysely<Database & RegisterTables>;
export const registersDb = (db: Kysely<Database>): RegistersDb => db.withTables<RegisterTables>();

const tables001: Migration = {
  async up(db: Kysely<unknown>) {
    await createTables(db, TABLES_001);
  },
};

const history002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('register_versions').addColumn('effective', 'text').execute();
    await createTables(db, TABLES_002);
  },
};

const owners003: Migration = {
  async up(db: Kysely<unknown>) {
    await createTables(db, TABLES_003);
  },
};

/**
 * The member index by ID number carries the role and the record, so that finding a person's
 * records (a comparison run does it once per list row) reads the index alone, heads first
 * (`head` sorts before `member`) and then by record id, with no table look-up and no sort. It
 * replaces `register_members_id`, a prefix of it.
 */
const memberLookup004: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('register_members_lookup')
      .on('register_members')
      .columns(['register_id', 'id_number', 'role', 'record_id'])
      .execute();
    await db.schema.dropIndex('register_members_id').execute();
  },
};

export const REGISTERS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_tables': tables001,
  '002_history': history002,
  '003_owners': owners003,
  '004_member_lookup': memberLookup004,
};
