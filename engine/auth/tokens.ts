import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { nowIso } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';
import type { Principal } from './principal.ts';
import type { Permission, Role } from './roles.ts';

/** Sessions last 12 hours unless configured otherwise. */
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * A device session (a login with “keep me signed in on this device”) lasts 30 days unless
 * configured otherwise (`deviceSessionDays`): long enough for a field trip without signal, never
 * longer than an API token may live.
 */
export const DEFAULT_DEVICE_SESSION_DAYS = 30;

/** What a token is: a login of a tab, a login kept on a device, or an API token. */
export type TokenKind = 'session' | 'api' | 'device';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface IssuedToken {
  id: string;
  token: string;
  kind: TokenKind;
  expiresAt: string;
}

/** A new opaque token (256 random bits); only its SHA-256 is stored. */
export async function issueToken(
  db: Kysely<Database>,
  userId: string,
  opts: { kind: TokenKind; ttlMs: number; name?: string | null },
): Promise<IssuedToken> {
  const token = `nx_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + opts.ttlMs).toISOString();
  await db
    .insertInto('auth_tokens')
    .values({
      id,
      user_id: userId,
      token_hash: hashToken(token),
      kind: opts.kind,
      name: opts.name ?? null,
      created_at: nowIso(),
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { id, token, kind: opts.kind, expiresAt };
}

/** Every token joined with its user and the user's org unit: who a token speaks for, and where. */
const tokensWithOwners = (db: Kysely<Database>) =>
  db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .innerJoin('org_units', 'org_units.code', 'users.org_code');

/** The principal behind a token, or undefined when it is unknown, expired, revoked or its user disabled. */
export async function resolveToken(db: Kysely<Database>, token: string): Promise<Principal | undefined> {
  const row = await tokensWithOwners(db)
    .select([
      'auth_tokens.id as tokenId',
      'auth_tokens.kind',
      'auth_tokens.expires_at',
      'auth_tokens.revoked_at',
      'users.id as userId',
      'users.username',
      'users.org_code',
      'users.disabled_at',
      'org_units.path',
    ])
    .where('auth_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at || row.expires_at <= nowIso()) return undefined;
  // Roles and permissions in one statement (every request that carries a token reads them).
  const grants = await db
    .selectFrom('user_roles')
    .select([sql<string>`'role'`.as('kind'), 'role as name'])
    .where('user_id', '=', row.userId)
    .unionAll(
      db
        .selectFrom('user_permissions')
        .select([sql<string>`'permission'`.as('kind'), 'permission as name'])
        .where('user_id', '=', row.userId),
    )
    .execute();
  return {
    userId: row.userId,
    username: row.username,
    orgCode: row.org_code,
    orgPath: row.path,
    roles: grants.filter((g) => g.kind === 'role').map((g) => g.name as Role),
    permissions: grants.filter((g) => g.kind === 'permission').map((g) => g.name as Permission),
    tokenId: row.tokenId,
    tokenKind: row.kind,
  };
}

/** Revokes one token by id; revoking twice is harmless. */
export async function revokeToken(db: Kysely<Database>, tokenId: string): Promise<void> {
  await db
    .updateTable('auth_tokens')
    .set({ revoked_at: nowIso() })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Revokes every live token of a user (sessions and API tokens), or only its sessions, keeping
 * `exceptTokenId` (the caller's own session after a password change). The one way a user's
 * credentials are ended: disabling, logging out everywhere, changing or resetting a password.
 * Returns how many were revoked.
 */
export async function revokeUserTokens(
  db: Kysely<Database>,
  userId: string,
  opts: { kind?: TokenKind | readonly TokenKind[]; exceptTokenId?: string } = {},
): Promise<number> {
  let q = db
    .updateTable('auth_tokens')
    .set({ revoked_at: nowIso() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (opts.kind) q = q.where('kind', 'in', typeof opts.kind === 'string' ? [opts.kind] : [...opts.kind]);
  if (opts.exceptTokenId) q = q.where('id', '!=', opts.exceptTokenId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** API tokens live at most 90 days unless configured otherwise (`apiTokenMaxDays`). */
export const DEFAULT_API_TOKEN_MAX_DAYS = 90;

/** A token as listed: never the token itself nor its hash. */
export interface TokenInfo {
  id: string;
  username: string;
  orgUnit: string;
  kind: TokenKind;
  name: string | null;
  createdAt: string;
  expiresAt: string;
}

/**
 * The live tokens (not revoked, not expired) of one user, or of every user of the subtree at
 * `rootPath`, newest first (at most `limit`).
 */
export async function listTokens(
  db: Kysely<Database>,
  scope: { userId?: string; username?: string; rootPath?: string; limit?: number },
): Promise<TokenInfo[]> {
  let q = tokensWithOwners(db)
    .select([
      'auth_tokens.id',
      'users.username',
      'users.org_code',
      'auth_tokens.kind',
      'auth_tokens.name',
      'auth_tokens.created_at',
      'auth_tokens.expires_at',
    ])
    .where('auth_tokens.revoked_at', 'is', null)
    .where('auth_tokens.expires_at', '>', nowIso());
  if (scope.userId !== undefined) q = q.where('users.id', '=', scope.userId);
  if (scope.username !== undefined) q = q.where('users.username', '=', scope.username);
  if (scope.rootPath !== undefined) q = q.where('org_units.path', 'like', `${scope.rootPath}%`);
  const rows = await q
    .orderBy('auth_tokens.created_at', 'desc')
    .orderBy('auth_tokens.id')
    .limit(scope.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    orgUnit: r.org_code,
    kind: r.kind,
    name: r.name,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}

/** Whose a token is (user id and the path of their org unit), or undefined for an unknown id. */
export async function tokenOwner(
  db: Kysely<Database>,
  tokenId: string,
): Promise<{ userId: string; username: string; orgPath: string } | undefined> {
  return tokensWithOwners(db)
    .select(['users.id as userId', 'users.username', 'org_units.path as orgPath'])
    .where('auth_tokens.id', '=', tokenId)
    .executeTakeFirst();
}
