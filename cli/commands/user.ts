import type { Command } from 'commander';
import { isRole, type Role } from '../../engine/auth/roles.ts';
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
  },
};
