import type { Command } from 'commander';
import { createDatabase, resolveDatabaseUrl } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import type { CliCommand } from '../command.ts';

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('migrate')
      .description('升级数据库结构 / bring the database schema up to date')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .action(async (opts: { db?: string }) => {
        const db = createDatabase(resolveDatabaseUrl(opts.db));
        try {
          const results = await migrateToLatest(db);
          for (const r of results) process.stdout.write(`${r.status}: ${r.migrationName}\n`);
          if (results.length === 0) process.stdout.write('数据库已是最新 / already up to date\n');
        } finally {
          await db.destroy();
        }
      });
  },
};
