import type { Kysely } from 'kysely';
import {
  type CreateDatabaseOptions,
  createDatabase,
  describeDatabase,
  resolveDatabaseUrl,
} from './database.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';
import { notWritable } from './writable.ts';
import { writeFailureOf } from './write-failure.ts';

/**
 * Opens the database a command names (`--db`, else `DATABASE_URL`, else the default) and migrates it.
 * A migration that cannot write (read-only file, full disk) stops with `NX_ERR_STORE_NOT_WRITABLE`.
 */
export async function openDatabase(
  option?: string,
  opts: CreateDatabaseOptions = {},
): Promise<Kysely<Database>> {
  const url = resolveDatabaseUrl(option);
  let db: Kysely<Database>;
  try {
    db = createDatabase(url, opts);
  } catch (err) {
    throw writeFailureOf(err) ? notWritable(describeDatabase(url), err) : err;
  }
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw writeFailureOf(err) ? notWritable(describeDatabase(url), err) : err;
  }
  return db;
}
