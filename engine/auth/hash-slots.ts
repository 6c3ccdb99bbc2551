import { httpError } from '../errors/domain-errors.ts';
import type { NxError } from '../errors/nx-error.ts';

/** How much password hashing one process does at once, and how many more may wait. */
export interface HashLimits {
  /** Hashes computed at once (each holds one libuv thread and 32 MiB for its run). */
  readonly concurrency: number;
  /** Hashes that may wait for a slot before a refusable one is refused. */
  readonly maxQueued: number;
  /** Places (running or waiting) one owner (a network address) may hold, so one address cannot fill the queue. */
  readonly maxPerOwner: number;
}

/**
 * Two at once keeps two of libuv's four threads for file and DNS work; 16 waiting ≈ 1 s at 2^15;
 * one address holds at most 4 of the 18 places.
 */
export const DEFAULT_HASH_LIMITS: HashLimits = { concurrency: 2, maxQueued: 16, maxPerOwner: 4 };

/** Seconds a refused caller is told to wait: about the time the queue takes to drain. */
const RETRY_AFTER_S = 2;

/**
 * A counting semaphore for password hashing. A flood of logins cannot queue unbounded scrypt
 * work in front of a real user's: beyond `maxQueued` waiting, or beyond `maxPerOwner` places for
 * one address, a refusable hash (login, password change) is refused at once with 503 and
 * Retry-After; hashes from trusted callers (seeding, the CLI) wait.
 */
export class HashSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly perOwner = new Map<string, number>();
  private limits: HashLimits;

  constructor(limits: HashLimits = DEFAULT_HASH_LIMITS) {
    this.limits = limits;
  }

  configure(limits: Partial<HashLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  async run<T>(fn: () => Promise<T>, opts: { refuseWhenBusy: boolean; owner?: string }): Promise<T> {
    const owner = opts.owner;
    const held = owner === undefined ? 0 : (this.perOwner.get(owner) ?? 0);
    if (opts.refuseWhenBusy && held >= this.limits.maxPerOwner) throw busyError();
    if (this.running >= this.limits.concurrency && opts.refuseWhenBusy) {
      if (this.waiting.length >= this.limits.maxQueued) throw busyError();
    }
    if (owner !== undefined) this.perOwner.set(owner, held + 1);
    try {
      if (this.running >= this.limits.concurrency) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      } else {
        this.running++;
      }
      try {
        return await fn();
      } finally {
        // The slot passes straight to the next waiter, so `running` counts it without a gap.
        const next = this.waiting.shift();
        if (next) next();
        else this.running--;
      }
    } finally {
      if (owner !== undefined) {
        const left = (this.perOwner.get(owner) ?? 1) - 1;
        if (left > 0) this.perOwner.set(owner, left);
        else this.perOwner.delete(owner);
      }
    }
  }
}

/** 503 with Retry-After: the server is busy hashing; the same answer whoever the username is. */
export function busyError(): NxError {
  const e = httpError('NX_ERR_AUTH_BUSY');
  e.retryAfterSeconds = RETRY_AFTER_S;
  return e;
}
