import { existsSync, rmSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { attachmentsDirFor } from '../../engine/attachments/store-config.ts';
import { describeDatabase, parseDatabaseUrl, resolveDatabaseUrl } from '../../engine/store/database.ts';
import type { CliCommand } from '../command.ts';
import { attachmentIds, attachmentsBesideBackup, copyAttachments } from '../maintenance/attachment-files.ts';
import { integrityOf, pgGuidance, tableCounts } from '../maintenance/sqlite-file.ts';

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('backup')
      .description(
        '在线备份 SQLite 数据库（服务可继续运行）/ online backup of the SQLite database (the server may keep running)',
      )
      .requiredOption('--out <file>', 'the backup file to write')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--force', 'overwrite --out when it exists')
      .action(async (opts: { out: string; db?: string; force?: boolean }) => {
        const url = resolveDatabaseUrl(opts.db);
        const target = parseDatabaseUrl(url);
        if (target.dialect === 'postgres') {
          process.stderr.write(`${pgGuidance(describeDatabase(url), opts.out)}\n`);
          process.exitCode = 1;
          return;
        }
        if (!existsSync(target.file)) throw new Error(`${target.file}: no such database file`);
        if (existsSync(opts.out) && !opts.force) {
          throw new Error(`${opts.out} exists; choose another file or pass --force / 备份文件已存在`);
        }
        if (opts.force) {
          rmSync(opts.out, { force: true });
          rmSync(attachmentsBesideBackup(opts.out), { recursive: true, force: true });
        }
        // SQLite's online backup API: a consistent copy page by page while the server keeps
        // writing (a plain file copy of a WAL database can miss or tear the latest commits).
        const source = new SqliteDatabase(target.file, { readonly: true, fileMustExist: true });
        try {
          await source.backup(opts.out);
        } finally {
          source.close();
        }
        const integrity = integrityOf(opts.out);
        if (integrity.join() !== 'ok')
          throw new Error(`${opts.out}: integrity_check failed: ${integrity.join('; ')}`);
        const counts = tableCounts(opts.out);
        // The attachments the copied database knows, beside it, each checked against its hash.
        const files = copyAttachments(
          attachmentIds(opts.out),
          attachmentsDirFor(url),
          attachmentsBesideBackup(opts.out),
        );
        process.stdout.write(
          `已备份 / backed up ${target.file} → ${opts.out} (integrity_check ok; submissions: ${counts.submissions ?? 0}, audit entries: ${counts.audit_log ?? 0}, attachments: ${files.copied} → ${attachmentsBesideBackup(opts.out)})\n`,
        );
        if (files.bad.length > 0) {
          process.stderr.write(
            `附件缺失或损坏 / attachments missing or damaged in the store: ${files.bad.length} (${files.bad.slice(0, 5).join(', ')})\n`,
          );
          process.exitCode = 1;
        }
      });
  },
};
