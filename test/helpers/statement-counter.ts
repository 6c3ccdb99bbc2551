import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../engine/store/schema.ts';
import { withStatementCache } from '../../engine/store/statement-cache.ts';

/**
 * A SQLite store (as `createDatabase` opens it) that records the SQL of every statement it runs,
 * `begin` and `commit` included: `recorded()` returns them since the last `reset()`.
 */
export function countingDatabase(file: string): {
  db: Kysely<Database>;
  reset(): void;
  recorded(): string[];
} {
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const cached = withStatementCache(sqlite);
  let log: string[] = [];
  const counting = {
    close: () => cached.close(),
    prepare(text: string) {
      const stmt = cached.prepare(text);
      const note = () => log.push(text.replace(/\s+/g, ' ').trim());
      return new Proxy(stmt, {
        get(target, key, receiver) {
          const v = Reflect.get(target, key, receiver) as unknown;
          if (typeof v !== 'function') return v;
          if (key === 'run' || key === 'all' || key === 'iterate' || key === 'get')
            return (...args: unknown[]) => {
              note();
              return (v as (...a: unknown[]) => unknown).apply(target, args);
            };
          return (v as (...a: unknown[]) => unknown).bind(target);
        },
      });
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: counting as never }) });
  return {
    db,
    reset: () => {
      log = [];
    },
    recorded: () => [...log],
  };
}
