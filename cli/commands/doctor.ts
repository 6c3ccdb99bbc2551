import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import {
  attachmentsConfigOf,
  type ResolvedStore,
  resolveAttachmentStore,
} from '../../engine/attachments/store-config.ts';
import { tableOf } from '../../engine/plugin/migrate-plugins.ts';
import {
  createDatabase,
  describeDatabase,
  parseDatabaseUrl,
  resolveDatabaseUrl,
  resolveSynchronous,
} from '../../engine/store/database.ts';
import { migrations as coreMigrations } from '../../engine/store/migrations/index.ts';
import type { Database } from '../../engine/store/schema.ts';
import { assertWritable } from '../../engine/store/writable.ts';
import type { CliCommand } from '../command.ts';
import { configuredPlugins } from '../plugins.ts';

type Level = 'ok' | 'warn' | 'fail';
interface Finding {
  check: string;
  level: Level;
  detail: string;
  /** What to do about it (zh-CN / English), when it is not ok. */
  fix?: string;
}

const GiB = 1024 ** 3;
/** Below this much free space a SQLite store is a problem; below four times it, a warning. */
const FAIL_FREE_BYTES = 256 * 1024 ** 2;

/** Names of migrations not yet applied, from one migrator's own table. */
async function pending(
  db: Kysely<Database>,
  table: string,
  list: Readonly<Record<string, Migration>>,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => list },
    migrationTableName: table,
    migrationLockTableName: `${table}_lock`,
  });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

/** The SQLite file's own settings, read before anything opens it the way the server does. */
function sqliteFileChecks(file: string): Finding[] {
  const out: Finding[] = [];
  const raw = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (raw.pragma('integrity_check(20)') as { integrity_check: string }[]).map(
      (r) => r.integrity_check,
    );
    out.push(
      integrity.join() === 'ok'
        ? { check: 'integrity', level: 'ok', detail: 'PRAGMA integrity_check: ok' }
        : {
            check: 'integrity',
            level: 'fail',
            detail: `PRAGMA integrity_check: ${integrity.join('; ')}`,
            fix: '停止服务，用最近的备份恢复（nuanxin restore FILE --force）/ stop the servers and restore the latest backup (nuanxin restore FILE --force)',
          },
    );
    const mode = String(raw.pragma('journal_mode', { simple: true }));
    out.push(
      mode === 'wal'
        ? { check: 'journal_mode', level: 'ok', detail: 'journal_mode=wal' }
        : {
            check: 'journal_mode',
            level: 'warn',
            detail: `journal_mode=${mode}`,
            fix: '启动一次 nuanxin serve 即切换为 WAL / one start of nuanxin serve switches it to WAL',
          },
    );
  } finally {
    raw.close();
  }
  let level: string;
  try {
    level = resolveSynchronous();
  } catch (err) {
    level = `invalid (${(err as Error).message})`;
  }
  out.push(
    level === 'FULL'
      ? {
          check: 'synchronous',
          level: 'ok',
          detail: 'synchronous=FULL (an acknowledged write survives a power loss)',
        }
      : {
          check: 'synchronous',
          level: level === 'NORMAL' ? 'warn' : 'fail',
          detail: `synchronous=${level} (from NUANXIN_SQLITE_SYNCHRONOUS)`,
          fix: '断电时最近的提交可能丢失：除非有意为之，去掉 NUANXIN_SQLITE_SYNCHRONOUS / the latest commits can vanish on power loss: unset NUANXIN_SQLITE_SYNCHRONOUS unless that is meant',
        },
  );
  const fs = statfsSync(dirname(resolve(file)));
  const free = fs.bavail * fs.bsize;
  const detail = `${(free / GiB).toFixed(1)} GiB free of ${((fs.blocks * fs.bsize) / GiB).toFixed(1)} GiB beside ${file}`;
  const fix =
    '释放磁盘空间或迁移数据目录；磁盘写满时写入会以 503 拒绝 / free disk space or move the data folder; on a full disk writes are refused with 503';
  out.push(
    free < FAIL_FREE_BYTES
      ? { check: 'disk', level: 'fail', detail, fix }
      : free < 4 * FAIL_FREE_BYTES
        ? { check: 'disk', level: 'warn', detail, fix }
        : { check: 'disk', level: 'ok', detail },
  );
  return out;
}

/** Which attachment store is in use and whether it answers (never a credential). */
async function attachmentStoreFinding(url: string, config: string | undefined): Promise<Finding> {
  let resolved: ResolvedStore;
  try {
    resolved = resolveAttachmentStore({ databaseUrl: url, config: attachmentsConfigOf(config) });
  } catch (err) {
    const e = err as { messageText?: { en: string }; errors?: { path: string; message: { en: string } }[] };
    return {
      check: 'attachments',
      level: 'fail',
      detail: `NX_ERR_ATTACHMENT_STORE_CONFIG: ${(e.errors ?? []).map((d) => `${d.path}: ${d.message.en}`).join('; ') || e.messageText?.en || String(err)}`,
      fix: '改正 nuanxin.config.json 的 attachments 或 NUANXIN_S3_* 环境变量 / fix attachments in nuanxin.config.json or the NUANXIN_S3_* environment (docs/attachments.md)',
    };
  }
  const { kind, where } = resolved.description;
  try {
    await resolved.ping();
    return { check: 'attachments', level: 'ok', detail: `${kind} store ${where}: reachable` };
  } catch (err) {
    if (kind === 'local' && (err as NodeJS.ErrnoException).code === 'ENOENT')
      return { check: 'attachments', level: 'ok', detail: `local store ${where}: made at the first upload` };
    return {
      check: 'attachments',
      level: 'fail',
      detail: `${kind} store ${where}: ${kind === 'local' ? `not writable (${(err as Error).message})` : (err as Error).message}`,
      fix:
        kind === 'local'
          ? '检查附件目录的权限 / check the permissions of the attachment folder'
          : '检查端点、存储桶、网络和 NUANXIN_S3_ACCESS_KEY_ID / NUANXIN_S3_SECRET_ACCESS_KEY / check the endpoint, the bucket, the network and the credentials in the environment',
    };
  }
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('doctor')
      .description(
        '检查数据库与附件存储：完整性、设置、待执行迁移、磁盘空间、存储可达 / check the database and the attachment store: integrity, settings, pending migrations, disk space, store reachable',
      )
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .option('--json', 'print the findings as JSON')
      .action(async (opts: { db?: string; config?: string; json?: boolean }) => {
        const url = resolveDatabaseUrl(opts.db);
        const target = parseDatabaseUrl(url);
        const findings: Finding[] = [];
        if (target.dialect === 'sqlite' && !existsSync(target.file)) {
          findings.push({
            check: 'database',
            level: 'fail',
            detail: `${target.file} does not exist`,
            fix: 'nuanxin start 会创建它 / nuanxin start creates it',
          });
        } else {
          if (target.dialect === 'sqlite') findings.push(...sqliteFileChecks(target.file));
          const db = createDatabase(url);
          try {
            if (target.dialect === 'postgres') {
              const { rows } = await sql<{
                recovery: boolean;
              }>`select pg_is_in_recovery() as recovery`.execute(db);
              findings.push({
                check: 'server',
                level: rows[0]?.recovery ? 'fail' : 'ok',
                detail: rows[0]?.recovery ? 'a standby (read-only)' : `connected to ${describeDatabase(url)}`,
                ...(rows[0]?.recovery ? { fix: '连接主库 / connect to the primary' } : {}),
              });
            }
            const plugins = await configuredPlugins(opts.config);
            const waiting = await pending(db, 'nx_migrations', coreMigrations);
            for (const p of plugins?.migrations ?? []) {
              for (const name of await pending(db, tableOf(p.pluginName), p.migrations)) {
                waiting.push(`${p.pluginName}/${name}`);
              }
            }
            findings.push(
              waiting.length === 0
                ? { check: 'migrations', level: 'ok', detail: 'none pending' }
                : {
                    check: 'migrations',
                    level: 'warn',
                    detail: `pending: ${waiting.join(', ')}`,
                    fix: '运行 nuanxin migrate（启动服务时也会执行）/ run nuanxin migrate (a server start runs them too)',
                  },
            );
            if (waiting.length === 0) {
              try {
                await assertWritable(db, describeDatabase(url));
                findings.push({
                  check: 'writable',
                  level: 'ok',
                  detail: 'a write probe went through (rolled back)',
                });
              } catch (err) {
                findings.push({
                  check: 'writable',
                  level: 'fail',
                  detail: (err as { messageText?: { en: string } }).messageText?.en ?? String(err),
                  fix: '检查文件和目录权限、磁盘空间或数据库是否只读 / check permissions, free space, or whether the database is read-only',
                });
              }
            }
          } finally {
            await db.destroy();
          }
        }
        findings.push(await attachmentStoreFinding(url, opts.config));
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ database: describeDatabase(url), findings }, null, 2)}\n`);
        else {
          process.stdout.write(`nuanxin doctor: ${describeDatabase(url)}\n`);
          for (const f of findings) {
            process.stdout.write(`  ${f.level.toUpperCase().padEnd(4)} ${f.check.padEnd(12)} ${f.detail}\n`);
            if (f.fix) process.stdout.write(`       → ${f.fix}\n`);
          }
        }
        if (findings.some((f) => f.level === 'fail')) process.exitCode = 1;
      });
  },
};
