import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { type Database, getOrgUnit, migratePlugins } from '../engine/entry/server.ts';
import { NxError, openDatabase } from '../engine/index.ts';
import {
  BUILTIN_COMPARISONS_DIR,
  BUILTIN_LISTS_DIR,
  type Catalog,
  CROSSCHECKS_MIGRATIONS,
  loadCatalog,
  type ReferralActor,
} from '../plugins/crosschecks/index.ts';
import { ensureRegisterTables, loadRegisters, REGISTERS_MIGRATIONS } from '../plugins/registers/index.ts';

/**
 * What the `lists`, `findings` and `referrals` commands share: the database (migrated for the
 * registers and cross-checks plugins), the loaded lists and comparisons, and the actor — the
 * operator at the top of the tree, or `--as <user>` with that user's unit, roles and `pii`.
 */

export interface CrosschecksOptions {
  db?: string;
  lists?: string;
  comparisons?: string;
  as?: string;
  pii?: boolean;
}

export interface CrosschecksContext {
  db: Kysely<Database>;
  catalog: Catalog;
  actor: ReferralActor;
}

export const withCommon = (c: Command): Command =>
  c
    .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
    .option('--lists <dir>', 'folder of list definitions (default: lists/)')
    .option('--comparisons <dir>', 'folder of comparisons (default: comparisons/)')
    .option('--as <username>', 'act as this user (their unit bounds what is read and written)')
    .option('--pii', 'show ID numbers whole (with --as: only when the user has pii)');

export async function openCrosschecks(o: CrosschecksOptions): Promise<CrosschecksContext> {
  const catalog = loadCatalog(o.lists ?? BUILTIN_LISTS_DIR, o.comparisons ?? BUILTIN_COMPARISONS_DIR);
  const db = await openDatabase(o.db);
  try {
    await migratePlugins(db, {
      migrations: [
        { pluginName: 'registers', migrations: REGISTERS_MIGRATIONS },
        { pluginName: 'crosschecks', migrations: CROSSCHECKS_MIGRATIONS },
      ],
    });
    await ensureRegisterTables(db, loadRegisters());
    let actor: ReferralActor = { username: 'cli', orgPath: '/', pii: Boolean(o.pii), roles: ['admin'] };
    if (o.as) {
      const user = await db
        .selectFrom('users')
        .select(['id', 'username', 'org_code'])
        .where('username', '=', o.as)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      const unit = user ? await getOrgUnit(db, user.org_code) : undefined;
      if (!user || !unit) {
        throw new NxError('NX_ERR_CROSSCHECKS_NOT_FOUND', 404, {
          'zh-CN': `没有用户“${o.as}”`,
          en: `No user "${o.as}"`,
        });
      }
      const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', user.id).execute();
      const perms = await db
        .selectFrom('user_permissions')
        .select('permission')
        .where('user_id', '=', user.id)
        .execute();
      actor = {
        username: user.username,
        orgPath: unit.path,
        pii: Boolean(o.pii) && perms.some((p) => p.permission === 'pii'),
        roles: roles.map((r) => r.role),
      };
    }
    return { db, catalog, actor };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

export const print = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

/** Runs a sub-command; a refused input is one line on stderr and exit code 1, never a stack trace. */
export const run =
  <A extends unknown[]>(fn: (...args: A) => Promise<void>) =>
  async (...args: A): Promise<void> => {
    try {
      await fn(...args);
    } catch (e) {
      if (!(e instanceof NxError)) throw e;
      process.stderr.write(`${e.code}: ${e.messageText['zh-CN']} / ${e.messageText.en}\n`);
      for (const d of e.errors ?? [])
        process.stderr.write(`  ${d.path} ${d.code}: ${d.message['zh-CN']} / ${d.message.en}\n`);
      process.exitCode = 1;
    }
  };

/** Opens the context with a sub-command's options, prints what `fn` answers, closes the database. */
export async function answerWith(
  o: CrosschecksOptions,
  fn: (c: CrosschecksContext) => Promise<unknown>,
): Promise<void> {
  const c = await openCrosschecks(o);
  try {
    print(await fn(c));
  } finally {
    await c.db.destroy();
  }
}
