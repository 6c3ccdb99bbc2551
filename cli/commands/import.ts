import { existsSync, statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { ENGINE_VERSION } from '../../engine/plugin/engine-version.ts';
import { loadPluginsFromFile } from '../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../engine/server/plugin-bridge.ts';
import type { Database } from '../../engine/store/schema.ts';
import { createWorkflowService, workflowFolderOptions } from '../../engine/workflow-store/server.ts';
import { builtinPlugins } from '../../plugins/builtins.ts';
import type { CliCommand } from '../command.ts';
import { writeErrorReport } from '../import/error-report.ts';
import { importFile } from '../import/import-file.ts';
import { openWithPlugins } from '../plugins.ts';

interface CliOptions {
  org?: string;
  db?: string;
  errors?: string;
  status?: string;
  actor?: string;
  today?: string;
  batch?: string;
  config?: string;
  workflow?: string;
}

/**
 * The configured plugins as `serve` loads them (their hooks run for each stored row, so their
 * tables are migrated first), with the path the validation thread loads them from.
 */
async function pluginParts(config: string | undefined) {
  const path = config ?? (existsSync('nuanxin.config.json') ? 'nuanxin.config.json' : undefined);
  if (!path) return { loaded: undefined, hooks: [], compile: {}, pluginConfig: undefined };
  const loaded = await loadPluginsFromFile(path, { engineVersion: ENGINE_VERSION, builtins: builtinPlugins });
  const parts = pluginAppOptions(loaded);
  return {
    loaded,
    hooks: parts.submissionHooks ?? [],
    compile: { compile: parts.compile },
    pluginConfig: path,
  };
}

/** The unit to file under when `--org` is not given: the one top-level unit, if there is exactly one. */
async function defaultOrg(db: Kysely<Database>): Promise<string> {
  const roots = await db.selectFrom('org_units').select('code').where('parent_code', 'is', null).execute();
  if (roots.length !== 1) throw new Error('--org is required / 请用 --org 指定单位代码');
  return (roots[0] as { code: string }).code;
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('import')
      .description(
        '批量导入填报数据 / bulk-import submissions from CSV or XLSX (columns = field ids, tables as JSON)',
      )
      .argument('<form>', '表单标识 / form id (its published version is used)')
      .argument('<file>', 'CSV 或 XLSX 文件 / a .csv or .xlsx file; the first row names the fields')
      .option(
        '--org <code>',
        '所属单位代码 / org unit the rows are filed under (default: the single top unit)',
      )
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option(
        '--errors <file>',
        '错误报告 / error report CSV (default: <file>.errors.csv when rows are rejected)',
      )
      .option('--status <status>', 'submitted | draft (default: submitted)')
      .option('--actor <name>', '记录为谁导入 / who the rows and audit entries name (default: import)')
      .option('--today <date>', '按此日期校验 / judge ages and dates as of YYYY-MM-DD (default: today)')
      .option('--batch <n>', '每个事务的行数 / rows per transaction (default: 20000)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .option(
        '--workflow <mode>',
        '审批流程 / start: each row starts its case in ./workflows (a submitted row takes the submit step as --actor); none: no case (default)',
        'none',
      )
      .action(async (formId: string, file: string, opts: CliOptions) => {
        if (opts.status && opts.status !== 'submitted' && opts.status !== 'draft')
          throw new Error('--status must be submitted or draft');
        if (opts.workflow !== 'start' && opts.workflow !== 'none')
          throw new Error('--workflow must be start or none / --workflow 须为 start 或 none');
        const plugins = await pluginParts(opts.config);
        const db = await openWithPlugins(opts.db, plugins.loaded);
        const bar = process.stderr.isTTY
          ? new SingleBar({
              format: '导入 import |{bar}| {percentage}% {value}/{total} KiB | {eta_formatted}',
              stream: process.stderr,
            })
          : null;
        try {
          const orgCode = opts.org ?? (await defaultOrg(db));
          const kib = (n: number) => Math.round(n / 1024);
          bar?.start(kib(statSync(file).size), 0);
          const started = Date.now();
          const workflows =
            opts.workflow === 'start'
              ? await createWorkflowService(db, workflowFolderOptions(plugins.loaded))
              : undefined;
          if (workflows && workflows.catalog.all().length === 0)
            throw new Error('--workflow start: no workflows in ./workflows / 没有找到审批流程');
          const s = await importFile({
            db,
            formId,
            file,
            orgCode,
            actor: opts.actor,
            status: opts.status as 'draft' | 'submitted' | undefined,
            today: opts.today,
            batchSize: opts.batch ? Number(opts.batch) : undefined,
            hooks: plugins.hooks,
            ...(workflows ? { workflows } : {}),
            compile: plugins.compile,
            ...(plugins.pluginConfig ? { pluginConfig: plugins.pluginConfig } : {}),
            onProgress: (done) => bar?.update(kib(done)),
          });
          bar?.stop();
          const secs = (Date.now() - started) / 1000;
          process.stdout.write(
            `已导入 ${s.imported}，已存在跳过 ${s.skipped}，拒绝 ${s.rejected}（共 ${s.rows} 行，${secs.toFixed(1)} 秒）\n` +
              `imported ${s.imported}, skipped ${s.skipped} already imported, rejected ${s.rejected} of ${s.rows} rows in ${secs.toFixed(1)} s\n`,
          );
          if (s.rejected > 0) {
            const report = opts.errors ?? `${file}.errors.csv`;
            await writeErrorReport(report, s.errors);
            process.stdout.write(`错误报告 / error report: ${report}\n`);
            process.exitCode = 1;
          }
        } finally {
          bar?.stop();
          await db.destroy();
        }
      });
  },
};
