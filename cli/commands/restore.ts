import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { attachmentsConfigOf, resolveAttachmentStore } from '../../engine/attachments/store-config.ts';
import { describeDatabase, parseDatabaseUrl, resolveDatabaseUrl } from '../../engine/store/database.ts';
import type { CliCommand } from '../command.ts';
import {
  attachmentIds,
  attachmentsBesideBackup,
  copyAttachments,
  restoreIntoStore,
} from '../maintenance/attachment-files.ts';
import { hasData, integrityOf, pgGuidance, tableCounts } from '../maintenance/sqlite-file.ts';

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('restore <file>')
      .description(
        '从备份恢复 SQLite 数据库（先检查备份完整性）/ restore the SQLite database from a backup (checked first)',
      )
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--force', 'replace a database that holds data (stop the servers first)')
      .option(
        '--config <file>',
        'configuration with the attachment store (default: ./nuanxin.config.json when present)',
      )
      .action(async (file: string, opts: { db?: string; force?: boolean; config?: string }) => {
        const url = resolveDatabaseUrl(opts.db);
        const target = parseDatabaseUrl(url);
        const attachments = resolveAttachmentStore({
          databaseUrl: url,
          config: attachmentsConfigOf(opts.config),
        });
        if (target.dialect === 'postgres') {
          process.stderr.write(`${pgGuidance(describeDatabase(url), file)}\n`);
          process.exitCode = 1;
          return;
        }
        if (!existsSync(file)) throw new Error(`${file}: no such backup file / 备份文件不存在`);
        // The backup first: a damaged or foreign file must not replace a sound database.
        let integrity: string[];
        try {
          integrity = integrityOf(file);
        } catch (err) {
          throw new Error(
            `${file} is not a SQLite database (${(err as Error).message}) / 不是 SQLite 数据库`,
          );
        }
        if (integrity.join() !== 'ok') {
          throw new Error(
            `${file}: integrity_check failed, nothing restored / 备份已损坏，未恢复: ${integrity.join('; ')}`,
          );
        }
        const counts = tableCounts(file);
        // The backup's attachments must all be there and sound before anything is replaced.
        const ids = attachmentIds(file);
        const besides = attachmentsBesideBackup(file);
        if (!('nx_migrations' in counts) || !('submissions' in counts)) {
          throw new Error(
            `${file} is not a Nuanxin database (no nx_migrations / submissions tables) / 不是暖心数据库`,
          );
        }
        if (hasData(target.file) && !opts.force) {
          throw new Error(
            `${target.file} holds data; stop the servers and pass --force to replace it / 目标数据库已有数据：先停止服务，再加 --force 覆盖`,
          );
        }
        // Into the store in use: the folder, or the bucket (which keeps what it has; a backup
        // taken with a local folder fills it, so a restore can also move a deployment to S3).
        const files =
          attachments.description.kind === 's3'
            ? await restoreIntoStore(attachments.store, ids, besides)
            : copyAttachments(ids, besides, attachments.dir as string);
        if (files.bad.length > 0) {
          throw new Error(
            `${besides}: ${files.bad.length} attachment(s) missing or damaged (in the backup and in ${attachments.description.where}), nothing restored / 备份的附件缺失或损坏，未恢复: ${files.bad.slice(0, 5).join(', ')}`,
          );
        }
        // Through SQLite's backup API into the target, so its WAL and any open reader stay consistent.
        const source = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
        try {
          await source.backup(target.file);
        } finally {
          source.close();
        }
        const after = integrityOf(target.file);
        if (after.join() !== 'ok')
          throw new Error(`${target.file}: integrity_check failed after restore: ${after.join('; ')}`);
        process.stdout.write(
          `已恢复 / restored ${file} → ${target.file} (integrity_check ok; submissions: ${counts.submissions}, audit entries: ${counts.audit_log ?? 0}, attachments: ${ids.length})\n`,
        );
      });
  },
};
