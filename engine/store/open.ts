import type { Kysely } from 'kysely';
import { createDatabase, resolveDatabaseUrl } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

/** Opens the database a command names (`--db`, else `DATABASE_URL`, else the default) and migrates it. */
export async function openDatabase(option?: string): Promise<Kysely<Database>> {
  const db = createDatabase(resolveDatabaseUrl(option));
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}
