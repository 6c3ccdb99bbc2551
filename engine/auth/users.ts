import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/audit.ts';
import { nowIso } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';
import { dummyHash, hashPassword, verifyPassword } from './password.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import type { Permission, Role } from './roles.ts';

export interface User {
  id: string;
  username: string;
  displayName: string | null;
  orgCode: string;
  orgPath: string;
  roles: Role[];
  permissions: Permission[];
  createdAt: string;
  disabled: boolean;
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string | null;
  orgCode: string;
  roles: readonly Role[];
  permissions?: readonly Permission[];
  /** Who creates the user, for the audit log. */
  actor?: string | null;
  /** JSON pointer of the password in the request, for the password policy's errors. */
  passwordPointer?: string;
}

/**
 * Creates a user with a scrypt hash; the caller has checked the org unit exists. The password
 * must pass the policy (`password-policy.ts`), else NX_ERR_AUTH_PASSWORD_REJECTED (422).
 */
export async function createUser(db: Kysely<Database>, u: NewUser): Promise<User> {
  await assertPasswordAcceptable(
    u.password,
    { username: u.username, displayName: u.displayName },
    u.passwordPointer ?? '/password',
  );
  const id = randomUUID();
  const passwordHash = await hashPassword(u.password);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('users')
      .values({
        id,
        username: u.username,
        password_hash: passwordHash,
        display_name: u.displayName ?? null,
        org_code: u.orgCode,
        created_at: nowIso(),
        disabled_at: null,
      })
      .execute();
    if (u.roles.length > 0) {
      await trx
        .insertInto('user_roles')
        .values([...new Set(u.roles)].map((role) => ({ user_id: id, role })))
        .execute();
    }
    const perms = [...new Set(u.permissions ?? [])];
    if (perms.length > 0) {
      await trx
        .insertInto('user_permissions')
        .values(perms.map((permission) => ({ user_id: id, permission })))
        .execute();
    }
    await writeAudit(trx, {
      actor: u.actor ?? null,
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      after: { username: u.username, orgCode: u.orgCode, roles: [...u.roles], permissions: perms },
    });
  });
  const user = await getUser(db, id);
  if (!user) throw new Error('user vanished after insert');
  return user;
}

async function grants(db: Kysely<Database>, ids: readonly string[]) {
  if (ids.length === 0) return { roles: new Map<string, Role[]>(), perms: new Map<string, Permission[]>() };
  const [roleRows, permRows] = await Promise.all([
    db.selectFrom('user_roles').selectAll().where('user_id', 'in', ids).orderBy('role').execute(),
    db.selectFrom('user_permissions').selectAll().where('user_id', 'in', ids).orderBy('permission').execute(),
  ]);
  const roles = new Map<string, Role[]>();
  const perms = new Map<string, Permission[]>();
  for (const r of roleRows) roles.set(r.user_id, [...(roles.get(r.user_id) ?? []), r.role as Role]);
  for (const r of permRows)
    perms.set(r.user_id, [...(perms.get(r.user_id) ?? []), r.permission as Permission]);
  return { roles, perms };
}

const userQuery = (db: Kysely<Database>) =>
  db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.code', 'users.org_code')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.org_code',
      'users.created_at',
      'users.disabled_at',
      'org_units.path',
    ]);

type UserRow = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>;

async function toUsers(db: Kysely<Database>, rows: readonly UserRow[]): Promise<User[]> {
  const g = await grants(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    orgCode: r.org_code,
    orgPath: r.path,
    roles: g.roles.get(r.id) ?? [],
    permissions: g.perms.get(r.id) ?? [],
    createdAt: r.created_at,
    disabled: r.disabled_at !== null,
  }));
}

export async function getUser(db: Kysely<Database>, id: string): Promise<User | undefined> {
  const row = await userQuery(db).where('users.id', '=', id).executeTakeFirst();
  return row ? (await toUsers(db, [row]))[0] : undefined;
}

/** Users whose org unit lies in the subtree at `rootPath`, by username. */
export async function listUsers(db: Kysely<Database>, rootPath: string): Promise<User[]> {
  const rows = await userQuery(db)
    .where('org_units.path', 'like', `${rootPath}%`)
    .orderBy('users.username')
    .execute();
  return toUsers(db, rows);
}

/** What a login's credentials come to: the user, a disabled account (right password), or nothing. */
export type CredentialCheck = { status: 'ok'; user: User } | { status: 'disabled' } | { status: 'invalid' };

/**
 * Checks a username and password. An unknown username still costs one hash, so timing does not
 * reveal which usernames exist; a disabled account is told apart only when the password is
 * right. With `refuseWhenBusy` a full hashing queue throws NX_ERR_AUTH_BUSY (503) instead of waiting.
 */
export async function checkCredentials(
  db: Kysely<Database>,
  username: string,
  password: string,
  opts: { refuseWhenBusy?: boolean; owner?: string } = {},
): Promise<CredentialCheck> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where('username', '=', username)
    .executeTakeFirst();
  const ok = await verifyPassword(password, row?.password_hash ?? dummyHash(), opts);
  if (!row || !ok) return { status: 'invalid' };
  if (row.disabled_at) return { status: 'disabled' };
  const user = await getUser(db, row.id);
  return user ? { status: 'ok', user } : { status: 'invalid' };
}
