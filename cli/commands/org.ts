import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { importOrgUnits, parseOrgUnitsCsv } from '../../engine/org/import.ts';
import { openDatabase } from '../../engine/store/open.ts';
import type { CliCommand } from '../command.ts';

export const command: CliCommand = {
  register(program: Command) {
    const org = program.command('org').description('行政区划 / org units');
    org
      .command('import')
      .argument('<file>', 'CSV: code,name,parent,level')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .description('导入行政区划 / import org units from a CSV file')
      .action(async (file: string, opts: { db?: string }) => {
        const parsed = parseOrgUnitsCsv(readFileSync(file, 'utf8'));
        for (const p of parsed.problems)
          process.stderr.write(`${file}:${p.line}: ${p.message['zh-CN']} / ${p.message.en}\n`);
        if (parsed.problems.length > 0) {
          process.exitCode = 1;
          return;
        }
        const db = await openDatabase(opts.db);
        try {
          const result = await importOrgUnits(db, parsed.rows);
          for (const p of result.problems)
            process.stderr.write(`${file}: ${p.message['zh-CN']} / ${p.message.en}\n`);
          if (result.problems.length > 0) process.exitCode = 1;
          else
            process.stdout.write(
              `已导入 ${result.imported} 个单位 / imported ${result.imported} org units\n`,
            );
        } finally {
          await db.destroy();
        }
      });
  },
};
