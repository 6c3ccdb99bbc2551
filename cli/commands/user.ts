import type { Command } from 'commander';
import { writeAudit } from '../../engine/audit/audit.ts';
import { isRole, type Role } from '../../engine/auth/roles.ts';
import { listTokens, revokeToken, tokenOwner } from '../../engine/auth/tokens.ts';
import { createUser } from '../../engine/auth/users.ts';
import { getOrgUnit } from '../../engine/org/org-units.ts';
import { openDatabase } from '../../engine/store/open.ts';
import type { CliCommand } from '../command.ts';

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
      .requiredOption('--password <password>', 'password (at least 8 characters)')
      .requiredOption(
        '--role <role>',
        'admin, field_staff, reviewer, finance, bank, viewer (repeat or comma-separate)',
        collect,
      )
      .requiredOption('--org <code>', 'org unit code, e.g. 511923')
      .option('--pii', 'may see ID numbers and phones unmasked')
      .option('--name <display>', 'display name')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .action(
        async (opts: {
          username: string;
          password: string;
          role: string[];
          org: string;
          pii?: boolean;
          name?: string;
          db?: string;
        }) => {
          const bad = opts.role.filter((r) => !isRole(r));
          if (bad.length > 0) throw new Error(`unknown role(s): ${bad.join(', ')}`);
          if (opts.password.length < 8) throw new Error('password must have at least 8 characters');
          const db = await openDatabase(opts.db);
          try {
            if (!(await getOrgUnit(db, opts.org)))
              throw new Error(`unknown org unit ${opts.org}; import org units first`);
            const u = await createUser(db, {
              username: opts.username,
              password: opts.password,
              displayName: opts.name ?? null,
              orgCode: opts.org,
              roles: opts.role as Role[],
              permissions: opts.pii ? ['pii'] : [],
              actor: 'cli',
            });
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
  },
};
