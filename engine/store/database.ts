import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';

/** Where the embedded database lives when nothing else is said. */
export const DEFAULT_DATABASE_URL = './data/nuanxin.db';

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

/**
 * Reads a database URL: `postgres://` / `postgresql://` means PostgreSQL; `sqlite:<path>`,
 * `:memory:` or any other string is a SQLite file path.
 */
export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  return { dialect: 'sqlite', file: file === '' ? DEFAULT_DATABASE_URL : file };
}

/** The URL a command uses: its `--db` option, else `DATABASE_URL`, else the SQLite default. */
export function resolveDatabaseUrl(option?: string): string {
  return option ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/**
 * Opens the store. SQLite runs in WAL mode with foreign keys on and waits for a busy writer
 * instead of failing at once, and keeps its prepared statements (`withStatementCache`);
 * PostgreSQL goes through a connection pool.
 */
export function createDatabase(url?: string): Kysely<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: Number(process.env.NUANXIN_PG_POOL ?? 10),
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (target.file !== ':memory:') mkdirSync(dirname(resolve(target.file)), { recursive: true });
  const sqlite = new SqliteDatabase(target.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MiB of page cache instead of SQLite's 2 MiB: reports and org-scoped lists read indexes and
  // rows all over a file of gigabytes, and the cache is per connection (there is one).
  sqlite.pragma('cache_size = -65536');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}
