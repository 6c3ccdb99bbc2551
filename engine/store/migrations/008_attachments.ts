import type { Kysely } from 'kysely';

/**
 * Attachments (photos, documents, signatures): `attachments` holds one row per stored content
 * (its SHA-256, type, size), `attachment_uploads` who uploaded it (the uploader may read an upload
 * no submission references yet; the housekeeping removes those after the retention period),
 * `attachment_refs` which submission field references it (for scope, masking and retention).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('attachment_uploads')
    .addColumn('attachment_id', 'text', (c) => c.notNull().references('attachments.id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('org_path', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_uploads_pk', ['attachment_id', 'username'])
    .execute();
  await db.schema
    .createTable('attachment_refs')
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('attachment_id', 'text', (c) => c.notNull().references('attachments.id'))
    .addColumn('pii', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_refs_pk', ['submission_id', 'field', 'attachment_id'])
    .execute();
  await db.schema
    .createIndex('attachment_refs_attachment')
    .on('attachment_refs')
    .column('attachment_id')
    .execute();
  await db.schema.createIndex('attachments_created').on('attachments').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('attachment_refs').execute();
  await db.schema.dropTable('attachment_uploads').execute();
  await db.schema.dropTable('attachments').execute();
}
