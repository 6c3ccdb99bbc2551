import type { Kysely, Migration } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';

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
    await db.schema
      .createTable('register_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('register_id', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('submission_id', 'text')
      .addColumn('base_version', 'integer')
      .addColumn('conflict', 'integer', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('members', 'text', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('register_versions_record')
      .on('register_versions')
      .columns(['record_id', 'version'])
      .execute();
    await db.schema
      .createIndex('register_versions_submission')
      .on('register_versions')
      .columns(['submission_id'])
      .execute();

    await db.schema
      .createTable('register_keys')
      .addColumn('register_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('register_keys_pk', ['register_id', 'key'])
      .execute();

    await db.schema
      .createTable('register_members')
      .addColumn('register_id', 'text', (c) => c.notNull())
      .addColumn('id_number', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('register_members_id')
      .on('register_members')
      .columns(['register_id', 'id_number'])
      .execute();
    await db.schema
      .createIndex('register_members_record')
      .on('register_members')
      .columns(['record_id'])
      .execute();

    await db.schema
      .createTable('register_flags')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('register_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('other_record_id', 'text')
      .addColumn('version', 'integer')
      .addColumn('subject', 'text')
      .addColumn('org_path', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .addColumn('resolution', 'text')
      .execute();
    await db.schema
      .createIndex('register_flags_inbox')
      .on('register_flags')
      .columns(['register_id', 'status', 'org_path'])
      .execute();
    await db.schema
      .createIndex('register_flags_record')
      .on('register_flags')
      .columns(['record_id'])
      .execute();

    await db.schema
      .createTable('register_transfers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('register_id', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('from_org_code', 'text', (c) => c.notNull())
      .addColumn('to_org_code', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .execute();

    await db.schema
      .createTable('register_schemas')
      .addColumn('register_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('columns', 'text', (c) => c.notNull())
      .execute();
  },
};

const history002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('register_versions').addColumn('effective', 'text').execute();
    await db.schema
      .createTable('register_statuses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('register_id', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('effective', 'text', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('register_statuses_record')
      .on('register_statuses')
      .columns(['record_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('register_statuses_effective')
      .on('register_statuses')
      .columns(['register_id', 'effective'])
      .execute();
  },
};

const owners003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('register_owners')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('register_id', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('org_code', 'text', (c) => c.notNull())
      .addColumn('org_path', 'text', (c) => c.notNull())
      .addColumn('effective', 'text', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('register_owners_record')
      .on('register_owners')
      .columns(['record_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('register_owners_effective')
      .on('register_owners')
      .columns(['register_id', 'effective'])
      .execute();
  },
};

export const REGISTERS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_tables': tables001,
  '002_history': history002,
  '003_owners': owners003,
};
