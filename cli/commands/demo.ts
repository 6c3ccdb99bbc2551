import type { Command } from 'commander';
import { loadDemo } from '../../demo/load-demo.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../demo/users.ts';
import { runPluginSeeds } from '../../engine/plugin/migrate-plugins.ts';
import type { CliCommand } from '../command.ts';
import { configuredPlugins, openWithPlugins } from '../plugins.ts';

/** The demo logins, for people: printed by `demo` and `start`. */
export function demoLogins(): string {
  const lines = DEMO_USERS.map(
    (u) => `  ${u.username.padEnd(20)} ${u.roles.join(',').padEnd(12)} ${u.org.padEnd(13)} ${u.displayName}`,
  );
  return `演示账号 / demo logins (密码 / password: ${DEMO_PASSWORD})\n${lines.join('\n')}\n`;
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('demo')
      .description('载入演示数据 / load demo org units, users and the forms in forms/ (published)')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .action(async (opts: { db?: string; config?: string }) => {
        const plugins = await configuredPlugins(opts.config);
        const db = await openWithPlugins(opts.db, plugins);
        try {
          const r = await loadDemo(db);
          // Plugins' demo data (e.g. the rules plugin's standards), once the org units exist.
          const seeded = plugins ? await runPluginSeeds(db, plugins) : [];
          for (const line of seeded) process.stdout.write(`${line}\n`);
          for (const p of r.problems) process.stderr.write(`${p}\n`);
          process.stdout.write(
            `org units: ${r.orgUnits}, new users: ${r.users.length}, published forms: ${r.forms.join(', ') || '-'}\n`,
          );
          process.stdout.write(demoLogins());
          if (r.problems.length > 0) process.exitCode = 1;
        } finally {
          await db.destroy();
        }
      });
  },
};
