import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** What a `ROLLBACK` with nothing to roll back runs instead: nothing. */
const NOTHING: SqliteStatement = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

/**
 * Makes `ROLLBACK` a no-op when no transaction is open. On SQLITE_FULL, SQLITE_IOERR and a few
 * other errors SQLite rolls the transaction back itself; the `ROLLBACK` that Kysely (or any
 * `try … catch { rollback }`) then sends fails with "cannot rollback - no transaction is active",
 * and that error replaces the real one — the log said nothing of the full disk. With this guard
 * the original error reaches the caller.
 */
export function withRollbackGuard(inner: SqliteDatabase, raw: BetterSqlite3.Database): SqliteDatabase {
  return {
    close: () => inner.close(),
    prepare(sql: string): SqliteStatement {
      if (!raw.inTransaction && /^\s*rollback\s*;?\s*$/i.test(sql)) return NOTHING;
      return inner.prepare(sql);
    },
  };
}
