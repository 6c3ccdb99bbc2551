import type { Command } from 'commander';
import { writeAudit } from '../../engine/audit/audit.ts';
import { getUserByName, setPassword, setUserDisabled } from '../../engine/auth/credentials.ts';
import { isRole, type Role } from '../../engine/auth/roles.ts';
import { listTokens, revokeToken, tokenOwner } from '../../engine/auth/tokens.ts';
import { createUser } from '../../engine/auth/users.ts';
import { NxError } from '../../engine/errors/nx-error.ts';
import { getOrgUnit } from '../../engine/org/org-units.ts';
import { openDatabase } from '../../engine/store/open.ts';
import type { CliCommand } from '../command.ts';
import { readSecret } from '../read-secret.ts';

const DB_OPTION = 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)';

/** A refused password prints each of the policy's problems with its hint, in both languages. */
function explain(err: unknown): never {
  if (err instanceof NxError && err.errors?.length) {
    const lines = err.errors.map(
      (e) =>
        `  ${e.code}: ${e.message['zh-CN']} / ${e.message.en}${e.hint ? `\n    ${e.hint['zh-CN']} / ${e.hint.en}` : ''}`,
    );
    throw new Error(`${err.messageText['zh-CN']} / ${err.messageText.en}\n${lines.join('\n')}`);
  }
  throw err;
}

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

export const command: CliCommand = {
  register(program: Command) {
    const user = program.command('user').description('用户 / users');
    user
      .command('add')
      .description('新建用户 / add a user')
      .requiredOption('--username <name>', 'login name')
      .option(
        '--password <password>',
        'password (visible in the process list: prefer piping it on stdin or typing it at the prompt)',
      )
      .requiredOption(
        '--role <role>',
        'admin, field_staff, reviewer, finance, bank, hrss, viewer (repeat or comma-separate)',
        collect,
      )
      .requiredOption('--org <code>', 'org unit code, e.g. 511923')
      .option('--pii', 'may see ID numbers and phones unmasked')
      .option('--name <display>', 'display name')
      .option('--db <url>', DB_OPTION)
      .action(
        async (opts: {
          username: string;
          password?: string;
          role: string[];
          org: string;
          pii?: boolean;
          name?: string;
          db?: string;
        }) => {
          const bad = opts.role.filter((r) => !isRole(r));
          if (bad.length > 0) throw new Error(`unknown role(s): ${bad.join(', ')}`);
          const password = opts.password ?? (await readSecret('密码 / password'));
          const db = await openDatabase(opts.db);
          try {
            if (!(await getOrgUnit(db, opts.org)))
              throw new Error(`unknown org unit ${opts.org}; import org units first`);
            const u = await createUser(db, {
              username: opts.username,
              password,
              displayName: opts.name ?? null,
              orgCode: opts.org,
              roles: opts.role as Role[],
              permissions: opts.pii ? ['pii'] : [],
              actor: 'cli',
            }).catch(explain);
            process.stdout.write(
              `已创建用户 / created user ${u.username} (${u.roles.join(', ')}) @ ${u.orgCode}\n`,
            );
          } finally {
            await db.destroy();
          }
        },
      );
    user
      .command('tokens <username>')
      .description("令牌 / list a user's live tokens (sessions and API tokens), or revoke one")
      .option('--revoke <id>', 'revoke the token with this id')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .action(async (username: string, opts: { revoke?: string; db?: string }) => {
        const db = await openDatabase(opts.db);
        try {
          if (opts.revoke !== undefined) {
            const owner = await tokenOwner(db, opts.revoke);
            if (owner?.username !== username)
              throw new Error(
                `用户 ${username} 没有令牌 ${opts.revoke} / ${username} has no token ${opts.revoke}`,
              );
            await revokeToken(db, opts.revoke);
            await writeAudit(db, {
              actor: 'cli',
              action: 'token.revoke',
              entityType: 'auth_token',
              entityId: opts.revoke,
              after: { username },
            });
            process.stdout.write(`已注销 / revoked ${opts.revoke}\n`);
            return;
          }
          const tokens = await listTokens(db, { username });
          for (const t of tokens)
            process.stdout.write(`${t.id}\t${t.kind}\t${t.name ?? ''}\t${t.createdAt}\t${t.expiresAt}\n`);
          if (tokens.length === 0) process.stdout.write(`${username}: 没有有效令牌 / no live tokens\n`);
        } finally {
          await db.destroy();
        }
      });

    user
      .command('passwd <username>')
      .description(
        "设置用户密码 / set a user's password (read from stdin or typed at a prompt, never an argument); ends its sessions",
      )
      .option('--db <url>', DB_OPTION)
      .action(async (username: string, opts: { db?: string }) => {
        const db = await openDatabase(opts.db);
        try {
          const u = await getUserByName(db, username);
          if (!u) throw new Error(`没有该用户 / no user ${username}`);
          const password = await readSecret(`${username} 的新密码 / new password`);
          const ended = await setPassword(db, { user: u, password, reason: 'reset', actor: 'cli' }).catch(
            explain,
          );
          process.stdout.write(
            `已设置密码 / password set for ${username}; 已结束会话 / sessions ended: ${ended}\n`,
          );
        } finally {
          await db.destroy();
        }
      });

    user
      .command('disable <username>')
      .description(
        '停用用户（撤销其全部令牌）/ disable a user (revokes all its tokens); --enable to enable it again',
      )
      .option('--enable', 'enable the user again instead')
      .option('--db <url>', DB_OPTION)
      .action(async (username: string, opts: { enable?: boolean; db?: string }) => {
        const db = await openDatabase(opts.db);
        try {
          const u = await getUserByName(db, username);
          if (!u) throw new Error(`没有该用户 / no user ${username}`);
          const now = await setUserDisabled(db, { user: u, disabled: !opts.enable, actor: 'cli' });
          process.stdout.write(
            now.disabled ? `已停用 / disabled ${username}\n` : `已启用 / enabled ${username}\n`,
          );
        } finally {
          await db.destroy();
        }
      });
  },
};
