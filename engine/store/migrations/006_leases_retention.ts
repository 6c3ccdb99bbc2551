import type { Kysely } from 'kysely';

/**
 * Leases (`nx_leases`): a named job that must run in one process at a time across every server on
 * the database — housekeeping, demo seeding — is claimed by name until a time. Indexes let the
 * housekeeping delete old idempotency keys and expired tokens without scanning either table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('nx_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
  await db.schema.createIndex('auth_tokens_expires').on('auth_tokens').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('auth_tokens_expires').execute();
  await db.schema.dropIndex('idempotency_keys_created').execute();
  await db.schema.dropTable('nx_leases').execute();
}
