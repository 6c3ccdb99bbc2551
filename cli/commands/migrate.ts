import type { Command } from 'commander';
import { migratePlugins } from '../../engine/plugin/migrate-plugins.ts';
import { createDatabase, resolveDatabaseUrl } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import type { CliCommand } from '../command.ts';
import { configuredPlugins } from '../plugins.ts';

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('migrate')
      .description('升级数据库结构 / bring the database schema up to date')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .action(async (opts: { db?: string; config?: string }) => {
        const plugins = await configuredPlugins(opts.config);
        const db = createDatabase(resolveDatabaseUrl(opts.db));
        try {
          const results = await migrateToLatest(db);
          // Each plugin's tables, tracked per plugin (see migratePlugins).
          if (plugins)
            for (const r of await migratePlugins(db, plugins)) {
              results.push({ ...r, migrationName: `${r.pluginName}/${r.migrationName}` });
            }
          for (const r of results) process.stdout.write(`${r.status}: ${r.migrationName}\n`);
          if (results.length === 0) process.stdout.write('数据库已是最新 / already up to date\n');
        } finally {
          await db.destroy();
        }
      });
  },
};
