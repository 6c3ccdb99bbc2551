import type { Kysely } from 'kysely';
import type { HttpCode } from '../errors/codes-http.ts';
import { httpError } from '../errors/domain-errors.ts';
import type { NxError } from '../errors/nx-error.ts';
import type { Database } from '../store/schema.ts';

/** How one kind of key (a username, an address) is throttled. */
export interface ThrottleRule {
  /** Attempts checked before the key locks: the attempt that reaches this number locks it. */
  readonly maxAttempts: number;
  /** The first lock; each attempt after a lock lifts locks again for twice as long … */
  readonly baseLockMs: number;
  /** … up to this. */
  readonly maxLockMs: number;
}

export interface LoginThrottlePolicy {
  /** Per username, whatever the address (password guessing against one account). */
  readonly user: ThrottleRule;
  /** Per address, whatever the username (spraying many accounts from one place). */
  readonly ip: ThrottleRule;
  /** A key whose last attempt is older than this starts afresh (and its row may be deleted). */
  readonly forgetAfterMs: number;
}

const MINUTE = 60_000;

/**
 * 5 attempts per account and 30 per address, then locks of 1, 2, 4, 8, 15, 15 … minutes; an
 * hour without attempts forgets the key. 30 per address leaves room for an office behind one NAT.
 */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  user: { maxAttempts: 5, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  ip: { maxAttempts: 30, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  forgetAfterMs: 60 * MINUTE,
};

/** The keys one login attempt has counted against, to settle once its outcome is known. */
export interface LoginClaim {
  readonly keys: readonly { key: string; rule: ThrottleRule }[];
}

/** What came of a claimed attempt: `unchecked` when no password was checked (e.g. the server was busy). */
export type LoginOutcome = 'success' | 'failure' | 'unchecked';

const iso = (ms: number) => new Date(ms).toISOString();

function lockUntil(rule: ThrottleRule, attempts: number, now: number): string | null {
  if (attempts < rule.maxAttempts) return null;
  const ms = Math.min(rule.baseLockMs * 2 ** Math.min(attempts - rule.maxAttempts, 30), rule.maxLockMs);
  return iso(now + ms);
}

type Claimed = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Counts one attempt against `key` unless it is locked. The count is a compare-and-set on the
 * row, so concurrent attempts in any number of processes each get their own number: no more
 * than `maxAttempts` are ever checked before the lock, however many arrive at once.
 */
async function claimKey(
  db: Kysely<Database>,
  key: string,
  rule: ThrottleRule,
  forgetAfterMs: number,
  now: number,
): Promise<Claimed> {
  for (let i = 0; i < 8; i++) {
    const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    if (row?.locked_until && Date.parse(row.locked_until) > now)
      return { ok: false, retryAfterMs: Date.parse(row.locked_until) - now };
    const attempts = !row || Date.parse(row.last_at) < now - forgetAfterMs ? 1 : row.attempts + 1;
    const values = { attempts, last_at: iso(now), locked_until: lockUntil(rule, attempts, now) };
    if (!row) {
      const r = await db
        .insertInto('login_throttle')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) return { ok: true };
    } else {
      const r = await db
        .updateTable('login_throttle')
        .set(values)
        .where('key', '=', key)
        .where('attempts', '=', row.attempts)
        .where('last_at', '=', row.last_at)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return { ok: true };
    }
  }
  // Eight lost races in a row on one key is itself a flood on that key.
  return { ok: false, retryAfterMs: 1000 };
}

/** Takes back one counted attempt (and the lock it set, if the count falls below the limit). */
async function releaseKey(db: Kysely<Database>, key: string, rule: ThrottleRule): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set((eb) => ({
      attempts: eb('attempts', '-', 1),
      locked_until: eb
        .case()
        .when('attempts', '<=', rule.maxAttempts)
        .then(null)
        .else(eb.ref('locked_until'))
        .end(),
    }))
    .where('key', '=', key)
    .where('attempts', '>', 0)
    .execute();
}

function refusal(code: HttpCode, retryAfterMs: number): NxError {
  const e = httpError(code);
  e.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return e;
}

let lastPrune = 0;

/** Deletes keys nobody tried for `forgetAfterMs` whose lock has lifted (at most once a minute per process). */
async function prune(db: Kysely<Database>, policy: LoginThrottlePolicy, now: number): Promise<void> {
  if (now - lastPrune < MINUTE) return;
  lastPrune = now;
  await db
    .deleteFrom('login_throttle')
    .where('last_at', '<', iso(now - policy.forgetAfterMs))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', iso(now))]))
    .execute();
}

/**
 * Counts a login attempt against its address and its username, before any password is checked.
 * Throws 429 (NX_ERR_AUTH_ADDRESS_THROTTLED or NX_ERR_AUTH_ACCOUNT_LOCKED, with Retry-After)
 * while either is locked: then not even the right password is checked. Unknown usernames are
 * counted like known ones, so the answers do not tell them apart.
 */
export async function claimLogin(
  db: Kysely<Database>,
  policy: LoginThrottlePolicy,
  who: { username: string; ip: string },
): Promise<LoginClaim> {
  const now = Date.now();
  await prune(db, policy, now);
  const ip = { key: `ip:${who.ip}`, rule: policy.ip };
  const ipClaim = await claimKey(db, ip.key, ip.rule, policy.forgetAfterMs, now);
  if (!ipClaim.ok) throw refusal('NX_ERR_AUTH_ADDRESS_THROTTLED', ipClaim.retryAfterMs);
  const user = { key: `user:${who.username}`, rule: policy.user };
  const userClaim = await claimKey(db, user.key, user.rule, policy.forgetAfterMs, now);
  if (!userClaim.ok) {
    await releaseKey(db, ip.key, ip.rule);
    throw refusal('NX_ERR_AUTH_ACCOUNT_LOCKED', userClaim.retryAfterMs);
  }
  return { keys: [ip, user] };
}

/**
 * Settles a claimed attempt: a failure stays counted; a success forgets its username and takes
 * its attempt back from the address (an office's good logins never lock it); an unchecked
 * attempt is taken back from both.
 */
export async function settleLogin(
  db: Kysely<Database>,
  claim: LoginClaim,
  outcome: LoginOutcome,
): Promise<void> {
  if (outcome === 'failure') return;
  for (const k of claim.keys) {
    if (outcome === 'success' && k.key.startsWith('user:'))
      await db.deleteFrom('login_throttle').where('key', '=', k.key).execute();
    else await releaseKey(db, k.key, k.rule);
  }
}

/** Forgets the failed attempts of one username (an administrator reset its password or enabled it). */
export async function clearUserThrottle(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', `user:${username}`).execute();
}
