import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * A better-sqlite3 database whose `prepare` keeps the most recently used statements by their SQL
 * text. Kysely's SQLite driver prepares every query anew, and SQLite's parsing and planning is a
 * large part of a short statement's cost; the store's queries are few and repeat (built by Kysely
 * with every value bound as a parameter), so a few hundred statements cover them. A statement
 * still busy (a streamed SELECT not yet read to its end) is never handed out twice: the same SQL
 * then gets a fresh statement.
 */
export function withStatementCache(db: BetterSqlite3.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close() {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Most recently used last, so the first key is the one to evict.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit as unknown as SqliteStatement;
      }
      const stmt = db.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value as string);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
}
