import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.ts';

/** How long a writer keeps trying to take SQLite's write lock held by another process. */
export interface WriteTransactionOptions {
  /** Attempts at `BEGIN IMMEDIATE` answered SQLITE_BUSY (after the driver's busy timeout). Default 8. */
  readonly attempts?: number;
  /** First back-off in ms, doubled after each busy answer (with jitter). Default 20. */
  readonly backoffMs?: number;
}

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Executors of the SQLite connections inside `writeTransaction` (views such as `withTables` share them). */
const open = new WeakSet<object>();
const inside = <DB>(db: Kysely<DB>) => db.isTransaction || open.has(db.getExecutor());

/**
 * Runs `fn` in one write transaction. PostgreSQL: an ordinary transaction (rows changed are
 * checked with compare-and-set). SQLite: `BEGIN IMMEDIATE`, which takes the write lock before
 * the first read, so what the transaction reads cannot be overwritten by another process before
 * it writes (a deferred transaction would fail with SQLITE_BUSY_SNAPSHOT at its first write); a
 * busy lock is retried with back-off. Inside a transaction already, `fn` runs in it. A failed
 * rollback never hides the error that caused it.
 */
export async function writeTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Kysely<DB>) => Promise<T>,
  opts: WriteTransactionOptions = {},
): Promise<T> {
  if (inside(db)) return fn(db);
  if (dialectOf(db) === 'postgres') return db.transaction().execute(fn);
  const attempts = Math.max(1, opts.attempts ?? 8);
  let wait = opts.backoffMs ?? 20;
  return db.connection().execute(async (conn) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await sql`begin immediate`.execute(conn);
        break;
      } catch (err) {
        if (!isBusy(err) || attempt >= attempts) throw err;
        await sleep(wait + Math.random() * wait);
        wait *= 2;
      }
    }
    let r: T;
    open.add(conn.getExecutor());
    try {
      r = await fn(conn);
    } catch (err) {
      // SQLite may have rolled back already (e.g. on a full disk): then there is nothing to undo.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    } finally {
      open.delete(conn.getExecutor());
    }
    try {
      await sql`commit`.execute(conn);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
    return r;
  });
}

/** Gives the event loop a turn: between batches of a long write, so a server in this process keeps answering. */
export const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));
