import { existsSync, rmSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { attachmentsConfigOf, resolveAttachmentStore } from '../../engine/attachments/store-config.ts';
import { describeDatabase, parseDatabaseUrl, resolveDatabaseUrl } from '../../engine/store/database.ts';
import type { CliCommand } from '../command.ts';
import {
  attachmentIds,
  attachmentsBesideBackup,
  copyAttachments,
  missingInStore,
} from '../maintenance/attachment-files.ts';
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
      .option(
        '--config <file>',
        'configuration with the attachment store (default: ./nuanxin.config.json when present)',
      )
      .action(async (opts: { out: string; db?: string; force?: boolean; config?: string }) => {
        const url = resolveDatabaseUrl(opts.db);
        const target = parseDatabaseUrl(url);
        const attachments = resolveAttachmentStore({
          databaseUrl: url,
          config: attachmentsConfigOf(opts.config),
        });
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
        const ids = attachmentIds(opts.out);
        const head = `已备份 / backed up ${target.file} → ${opts.out} (integrity_check ok; submissions: ${counts.submissions ?? 0}, audit entries: ${counts.audit_log ?? 0}`;
        if (attachments.description.kind === 's3') {
          // A bucket is backed up by the store itself (versioning, replication); here each
          // attachment the copy knows is checked to be there, and the backup says where they are.
          const missing = await missingInStore(attachments.store, ids);
          process.stdout.write(
            `${head}, attachments: ${ids.length} not copied, they stay in ${attachments.description.where})\n` +
              `附件保存在 S3 存储桶中，本命令不复制它们：请用存储桶的版本控制或跨区域复制备份 / attachments are kept in the S3 bucket and not copied by this command: back the bucket up with its versioning or replication (docs/attachments.md#backups)\n`,
          );
          if (missing.length > 0) {
            process.stderr.write(
              `附件在存储桶中缺失 / attachments missing in the bucket: ${missing.length} (${missing.slice(0, 5).join(', ')})\n`,
            );
            process.exitCode = 1;
          }
          return;
        }
        // The attachments the copied database knows, beside it, each checked against its hash.
        const files = copyAttachments(ids, attachments.dir as string, attachmentsBesideBackup(opts.out));
        process.stdout.write(
          `${head}, attachments: ${files.copied} → ${attachmentsBesideBackup(opts.out)})\n`,
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
