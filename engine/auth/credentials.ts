import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/audit.ts';
import { httpError, notFound } from '../errors/domain-errors.ts';
import { nowIso } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';
import { canGrant } from './grants.ts';
import { clearUserThrottle } from './login-throttle.ts';
import { hashPassword } from './password.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import type { Principal } from './principal.ts';
import { revokeUserTokens } from './tokens.ts';
import { getUser, type User } from './users.ts';

/** A user by username, whatever its org unit (the caller decides what it may see). */
export async function getUserByName(db: Kysely<Database>, username: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return row ? getUser(db, row.id) : undefined;
}

/**
 * The user `actor` may manage (reset its password, disable or enable it): inside the actor's
 * subtree (else 404, as if it did not exist), not the actor itself (409), holding no role or
 * permission the actor lacks, and not an admin of the actor's own org unit (403) — so nobody
 * takes over an account with more rights, or a peer's, by setting its password.
 */
export async function manageableUser(
  db: Kysely<Database>,
  actor: Principal,
  username: string,
): Promise<User> {
  const target = await getUserByName(db, username);
  if (!target?.orgPath.startsWith(actor.orgPath)) throw notFound();
  if (target.id === actor.userId) throw httpError('NX_ERR_USER_SELF');
  // The rule for creating an account (`canGrant`), and a peer admin is out of reach too.
  const exceeds =
    !canGrant(actor, target) || (target.roles.includes('admin') && target.orgPath === actor.orgPath);
  if (exceeds) throw httpError('NX_ERR_USER_NOT_MANAGEABLE');
  return target;
}

/**
 * Sets a user's password after checking it against the policy, and ends its sessions: all of
 * them after a reset, all but `keepTokenId` (the caller's own) after a change. API tokens are
 * not derived from the password and stay. Returns how many sessions were ended.
 */
export async function setPassword(
  db: Kysely<Database>,
  args: {
    user: Pick<User, 'id' | 'username' | 'displayName' | 'orgPath'>;
    password: string;
    /** `change`: the user's own, with the current one; `reset`: by an administrator or the CLI. */
    reason: 'change' | 'reset';
    actor: string | null;
    keepTokenId?: string;
    /** JSON pointer of the password in the request, for the policy's errors. */
    pointer?: string;
  },
): Promise<number> {
  const u = args.user;
  await assertPasswordAcceptable(
    args.password,
    { username: u.username, displayName: u.displayName },
    args.pointer,
  );
  const hash = await hashPassword(args.password);
  const ended = await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', u.id).execute();
    const n = await revokeUserTokens(trx, u.id, {
      kind: ['session', 'device'],
      exceptTokenId: args.keepTokenId,
    });
    await writeAudit(trx, {
      actor: args.actor,
      action: `user.password.${args.reason}`,
      entityType: 'user',
      entityId: u.id,
      orgPath: u.orgPath,
      after: { username: u.username, sessionsEnded: n },
    });
    return n;
  });
  // A reset is how a locked-out user gets back in at once.
  if (args.reason === 'reset') await clearUserThrottle(db, u.username);
  return ended;
}

/**
 * Disables a user (it cannot log in, and every token it holds is revoked, sessions and API
 * tokens alike) or enables it again (its old tokens stay revoked). Returns the user as it is now.
 */
export async function setUserDisabled(
  db: Kysely<Database>,
  args: { user: Pick<User, 'id' | 'username' | 'orgPath'>; disabled: boolean; actor: string | null },
): Promise<User> {
  const u = args.user;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ disabled_at: args.disabled ? nowIso() : null })
      .where('id', '=', u.id)
      .execute();
    const n = args.disabled ? await revokeUserTokens(trx, u.id) : 0;
    await writeAudit(trx, {
      actor: args.actor,
      action: args.disabled ? 'user.disable' : 'user.enable',
      entityType: 'user',
      entityId: u.id,
      orgPath: u.orgPath,
      after: {
        username: u.username,
        disabled: args.disabled,
        ...(args.disabled ? { tokensRevoked: n } : {}),
      },
    });
  });
  if (!args.disabled) await clearUserThrottle(db, u.username);
  const now = await getUser(db, u.id);
  if (!now) throw notFound();
  return now;
}

/** Ends every session and API token of a user, the caller's own included. Returns how many. */
export async function logOutEverywhere(
  db: Kysely<Database>,
  user: { id: string; username: string; orgPath: string },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const n = await revokeUserTokens(trx, user.id);
    await writeAudit(trx, {
      actor: user.username,
      action: 'user.logout-all',
      entityType: 'user',
      entityId: user.id,
      orgPath: user.orgPath,
      after: { tokensRevoked: n },
    });
    return n;
  });
}
