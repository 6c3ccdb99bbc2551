import type { Kysely } from 'kysely';
import { createTables, dropTables } from '../declare-tables.ts';
import TABLES from './008_attachments.tables.json' with { type: 'json' };

/**
 * Attachments (photos, documents, signatures): `attachments` holds one row per stored content
 * (its SHA-256, type, size), `attachment_uploads` who uploaded it (the uploader may read an upload
 * no submission references yet; the housekeeping removes those after the retention period),
 * `attachment_refs` which submission field references it (for scope, masking and retention).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTables(db, TABLES);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, TABLES);
}
