import type { Kysely } from 'kysely';

/**
 * The org unit that owns each form: only admins there or above publish its versions (below it,
 * overlays). A form without a row belongs to the top of the tree (forms loaded from files).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('form_owners')
    .addColumn('form_id', 'text', (c) => c.primaryKey())
    .addColumn('org_code', 'text', (c) => c.notNull().references('org_units.code'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('form_owners').execute();
}
