import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from './database.ts';

/** PostgreSQL advisory lock key of the start-up (any fixed 64-bit number; "nuanxin" in ASCII). */
const PG_LOCK_KEY = '31084919433120366';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` while holding the database's start-up lock, so that servers started at once on one
 * database prepare it one after the other: migrations (core and plugins), the plugins' start-up
 * tables, the demo. Without it two fresh servers raced to create the same tables and rows and one
 * of them exited. The lock goes with the process when it dies: PostgreSQL, a session advisory lock
 * on a connection of its own; SQLite, an exclusive lock on a small file beside the database
 * (`<file>-startup`), taken by SQLite itself and released by the operating system.
 */
export async function withStartupLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'postgres') {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query(`select pg_advisory_lock(${PG_LOCK_KEY})`);
      return await fn();
    } finally {
      await client.end(); // ends the session, which releases the lock
    }
  }
  if (target.file === ':memory:' || target.file === '') return fn();
  const path = `${resolve(target.file)}-startup`;
  mkdirSync(dirname(path), { recursive: true });
  const lock = new SqliteDatabase(path, { timeout: 0 });
  try {
    // Polled, not waited for inside SQLite: its busy wait would block this process's event loop.
    for (;;) {
      try {
        lock.exec('begin exclusive');
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        await sleep(100);
      }
    }
    return await fn();
  } finally {
    lock.close(); // closing rolls the open transaction back and drops the lock
  }
}
