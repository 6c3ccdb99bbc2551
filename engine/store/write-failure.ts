/**
 * Errors that say the database cannot take a write right now — disk full, a read-only file or
 * server, an I/O error, the writer lock held too long, the server gone — as opposed to a bug or
 * bad input. Nothing of the failed request was stored (its transaction rolled back), so the
 * caller may try again later: the HTTP API answers 503 with `Retry-After`.
 */
export interface WriteFailure {
  /** The driver's own code (`SQLITE_FULL`, `53100` …): what the log shows as the real cause. */
  readonly driverCode: string;
  /** The driver's message of that error. */
  readonly message: string;
}

/** SQLite primary result codes (extended codes start with them, e.g. `SQLITE_IOERR_WRITE`). */
const SQLITE_PREFIXES = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'];

/**
 * PostgreSQL SQLSTATEs: class 53 (insufficient resources: disk full, out of memory, too many
 * connections), 58030 io_error, 25006 read_only_sql_transaction (a standby or a read-only
 * default), class 57P (the server shutting down) and class 08 (connection failures).
 */
function isPostgresUnavailable(code: string): boolean {
  return /^(53...|58030|25006|57P0[123]|08...)$/.test(code);
}

/** Node socket errors when PostgreSQL cannot be reached. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** The write failure behind `err` (looking through `cause` chains), or undefined when it is something else. */
export function writeFailureOf(err: unknown): WriteFailure | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      const hit =
        SQLITE_PREFIXES.some((p) => code === p || code.startsWith(`${p}_`)) ||
        isPostgresUnavailable(code) ||
        SOCKET_CODES.has(code);
      if (hit) return { driverCode: code, message: String((e as { message?: unknown }).message ?? code) };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
