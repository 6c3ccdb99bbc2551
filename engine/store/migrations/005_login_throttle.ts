import type { Kysely } from 'kysely';

/**
 * Login throttling kept in the database, so every server process on one database counts the
 * same attempts: one row per throttled key (`user:<name>` or `ip:<address>`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
  // Pruning forgets keys whose last attempt is old.
  await db.schema.createIndex('login_throttle_last_at').on('login_throttle').column('last_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
