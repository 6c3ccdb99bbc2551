import { type Kysely, type Migration, type MigrationResult, Migrator } from 'kysely';
import { migrations as builtIn } from './migrations/index.ts';
import type { Database } from './schema.ts';

/** Brings the schema up to date; returns what ran. Throws when a migration fails. */
export async function migrateToLatest(
  db: Kysely<Database>,
  extra: Readonly<Record<string, Migration>> = {},
): Promise<MigrationResult[]> {
  const all = { ...builtIn, ...extra };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => all },
    migrationTableName: 'nx_migrations',
    migrationLockTableName: 'nx_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results ?? [];
}
