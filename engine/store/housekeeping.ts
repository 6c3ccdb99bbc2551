import type { Kysely } from 'kysely';
import { takeLease } from './lease.ts';
import type { Database } from './schema.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** How long a stored answer to an `Idempotency-Key` is kept: a retry within it replays the answer. */
export const IDEMPOTENCY_RETENTION_MS = 7 * DAY;
/** How often the housekeeping runs (claimed by one process across all of them). */
export const HOUSEKEEPING_INTERVAL_MS = HOUR;

export interface HousekeepingOptions {
  /** How often to run; `false` for never (tests call `runHousekeeping`). Default one hour. */
  readonly intervalMs?: number | false;
  /** Idempotency keys older than this are deleted (default 7 days). */
  readonly idempotencyRetentionMs?: number;
  /** The clock (tests inject one). */
  readonly now?: () => Date;
}

export interface HousekeepingResult {
  /** False when another process holds this period's run: nothing was done here. */
  readonly claimed: boolean;
  readonly idempotencyKeys: number;
  readonly authTokens: number;
  /** Unreferenced attachments removed after their retention (when the run was given a remover). */
  readonly attachments?: number;
}

/**
 * One run of the housekeeping, at most once per interval across every process on the database
 * (the `housekeeping` lease): deletes idempotency keys older than the retention and login or API
 * tokens that have expired or were revoked (neither can authenticate any more), and through
 * `removeStale` uploads no submission took up within their retention.
 */
export async function runHousekeeping(
  db: Kysely<Database>,
  opts: {
    now: Date;
    intervalMs?: number;
    idempotencyRetentionMs?: number;
    /** Removes what has outlived its retention elsewhere (attachments): returns how many. */
    removeStale?: (now: Date) => Promise<number>;
  },
): Promise<HousekeepingResult> {
  const now = opts.now.toISOString();
  const interval = opts.intervalMs ?? HOUSEKEEPING_INTERVAL_MS;
  // The lease ends a little before the next tick so that a process that ticks on time finds it free.
  const until = new Date(opts.now.getTime() + Math.max(0, interval - 1000)).toISOString();
  if (!(await takeLease(db, { name: 'housekeeping', now, until }))) {
    return { claimed: false, idempotencyKeys: 0, authTokens: 0 };
  }
  const cutoff = new Date(opts.now.getTime() - (opts.idempotencyRetentionMs ?? IDEMPOTENCY_RETENTION_MS));
  const keys = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', cutoff.toISOString())
    .executeTakeFirst();
  const tokens = await db
    .deleteFrom('auth_tokens')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('revoked_at', 'is not', null)]))
    .executeTakeFirst();
  const attachments = opts.removeStale ? await opts.removeStale(opts.now) : undefined;
  return {
    claimed: true,
    idempotencyKeys: Number(keys.numDeletedRows),
    authTokens: Number(tokens.numDeletedRows),
    ...(attachments === undefined ? {} : { attachments }),
  };
}
