import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { NxError } from '../errors/nx-error.ts';
import { withRollbackGuard } from './rollback-guard.ts';
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

/** A database URL fit for messages and logs: a PostgreSQL password is left out. */
export function describeDatabase(url: string): string {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') return target.file;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** The URL a command uses: its `--db` option, else `DATABASE_URL`, else the SQLite default. */
export function resolveDatabaseUrl(option?: string): string {
  return option ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/**
 * SQLite's `synchronous` levels under WAL (README, "Durability"): `FULL` syncs the log at every
 * commit, so an acknowledged write survives a power loss; `NORMAL` syncs only at checkpoints —
 * safe from a process crash, but the last commits can vanish on power loss; `OFF` never syncs.
 */
export const SYNCHRONOUS_LEVELS = ['FULL', 'NORMAL', 'OFF'] as const;
export type SynchronousLevel = (typeof SYNCHRONOUS_LEVELS)[number];

/** The level a store opens with: the option, else `NUANXIN_SQLITE_SYNCHRONOUS`, else `FULL`. */
export function resolveSynchronous(option?: string): SynchronousLevel {
  const raw = option ?? process.env.NUANXIN_SQLITE_SYNCHRONOUS ?? 'FULL';
  const level = raw.trim().toUpperCase();
  if ((SYNCHRONOUS_LEVELS as readonly string[]).includes(level)) return level as SynchronousLevel;
  throw new NxError('NX_ERR_STORE_BAD_SETTING', 400, {
    'zh-CN': `synchronous 取值 "${raw}" 无效，应为 FULL、NORMAL 或 OFF（--synchronous 或 NUANXIN_SQLITE_SYNCHRONOUS）`,
    en: `synchronous "${raw}" is not valid: use FULL, NORMAL or OFF (--synchronous or NUANXIN_SQLITE_SYNCHRONOUS)`,
  });
}

export interface CreateDatabaseOptions {
  /** SQLite only: see `SYNCHRONOUS_LEVELS` (default `NUANXIN_SQLITE_SYNCHRONOUS`, else `FULL`). */
  synchronous?: string;
}

/**
 * Opens the store. SQLite runs in WAL mode with `synchronous=FULL` (unless told otherwise) and
 * foreign keys on, waits for a busy writer instead of failing at once, keeps its prepared
 * statements (`withStatementCache`) and lets a failed write's own error through
 * (`withRollbackGuard`); PostgreSQL goes through a connection pool.
 */
export function createDatabase(url?: string, opts: CreateDatabaseOptions = {}): Kysely<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: Number(process.env.NUANXIN_PG_POOL ?? 10),
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const synchronous = resolveSynchronous(opts.synchronous);
  if (target.file !== ':memory:') mkdirSync(dirname(resolve(target.file)), { recursive: true });
  const sqlite = new SqliteDatabase(target.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MiB of page cache instead of SQLite's 2 MiB: reports and org-scoped lists read indexes and
  // rows all over a file of gigabytes, and the cache is per connection (there is one).
  sqlite.pragma('cache_size = -65536');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withRollbackGuard(withStatementCache(sqlite), sqlite) }),
  });
}
