import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ENGINE_VERSION, loadPlugins, NxError, openDatabase, type PluginEntry } from '../../engine/index.ts';
import { builtinPlugins } from '../../plugins/builtins.ts';
import {
  type ReportRules,
  type ReportTable,
  reportServiceFromConfig,
  writeReport,
} from '../../plugins/report/index.ts';
import type { CliCommand } from '../command.ts';

interface ReportOptions {
  period?: string;
  asOf?: string;
  org?: string;
  format?: string;
  out?: string;
  db?: string;
  submission?: string;
  templates?: string;
  reports?: string;
  list?: boolean;
  progress?: boolean;
}

/** Rows after which a progress bar is worth showing (small tables finish before it would draw). */
const PROGRESS_FROM = 10_000;

/**
 * The rules plugin's service, as the report plugin gets it: the rules plugin alone (not the
 * pages and the rest), with its entry of `./nuanxin.config.json` when there is one.
 */
async function rulesService(): Promise<ReportRules | undefined> {
  const file = 'nuanxin.config.json';
  const listed = existsSync(file)
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { plugins?: unknown[] }).plugins ?? []).find(
        (e) =>
          e === 'rules' || (typeof e === 'object' && e !== null && (e as { use?: unknown }).use === 'rules'),
      )
    : undefined;
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const loaded = await loadPlugins(
    { plugins: [(listed as PluginEntry | undefined) ?? 'rules'] },
    { engineVersion: ENGINE_VERSION, builtins: builtinPlugins, logger: quiet },
  );
  return loaded.services.get('rules') as ReportRules | undefined;
}

async function run(id: string | undefined, opts: ReportOptions): Promise<void> {
  const service = reportServiceFromConfig(
    {
      ...(opts.reports ? { reportsDir: opts.reports } : {}),
      ...(opts.templates ? { templatesDir: opts.templates } : {}),
    },
    opts.list || !id ? undefined : await rulesService(),
  );
  if (opts.list || !id) {
    for (const r of service.list())
      process.stdout.write(`${r.id}\t${r.kind}\t${r.title['zh-CN']} / ${r.title.en}\n`);
    return;
  }
  const def = service.get(id);
  const format = service.format(opts.format);
  const db = await openDatabase(opts.db);
  try {
    const root = opts.org
      ? undefined
      : await db
          .selectFrom('org_units')
          .select('code')
          .where('parent_code', 'is', null)
          .orderBy('code')
          .executeTakeFirst();
    const org = await service.scopedOrg(db, null, opts.org ?? root?.code);
    const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
    const finished = opts.out
      ? new Promise((resolve, reject) => out.on('finish', resolve).on('error', reject))
      : undefined;
    let bar: cliProgress.SingleBar | undefined;
    const showBar = opts.progress !== false && opts.out !== undefined && process.stderr.isTTY;
    const onTable = (table: ReportTable) => {
      if (!showBar || (table.expectedRows !== undefined && table.expectedRows < PROGRESS_FROM)) return;
      bar = new cliProgress.SingleBar(
        { format: '{bar} {value} 行 / rows  {duration_formatted}', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      // The row count of a streamed list is unknown in advance: the bar counts up.
      bar.start(table.expectedRows ?? 0, 0);
    };
    const n = await writeReport(
      service.context(db),
      def,
      service.request(org, null, opts.period, opts.asOf),
      out,
      {
        format,
        templates: service.templates,
        submission: opts.submission,
        onTable,
        onRow: (k) => {
          if (!bar) return;
          if (k > bar.getTotal()) bar.setTotal(k);
          bar.update(k);
        },
      },
    );
    bar?.stop();
    await finished;
    if (opts.out) {
      const rows = n >= 0 ? `，${n} 行 / ${n} rows` : '';
      process.stderr.write(`已写入 ${opts.out}${rows} / written\n`);
    }
  } finally {
    await db.destroy();
  }
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('report')
      .argument('[id]', 'report id (see --list)')
      .description('生成报表 / build a report (json, csv, xlsx, html)')
      .option('--period <period>', 'due date (2021-06-03) or month (2021-06)')
      .option(
        '--as-of <date>',
        'lists: the date made as of, YYYY-MM-DD (default: the period end, else today)',
      )
      .option('--org <code>', 'org unit code (default: the top of the org tree)')
      .option('--format <format>', 'json | csv | xlsx | html', 'json')
      .option('--out <file>', 'output file (default: standard output)')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--submission <id>', 'documents: the submission to print (blank form without it)')
      .option(
        '--templates <dir>',
        'template folder overriding the built-in ones (per org: <code>/<name>.hbs)',
      )
      .option('--reports <dir>', 'folder of report definitions (default: the built-in ones)')
      .option('--list', 'list the reports')
      .option('--no-progress', 'no progress bar')
      .action(async (id: string | undefined, opts: ReportOptions) => {
        try {
          await run(id, opts);
        } catch (e) {
          if (!(e instanceof NxError)) throw e;
          process.stderr.write(`${e.code}: ${e.messageText['zh-CN']} / ${e.messageText.en}\n`);
          process.exitCode = 1;
        }
      });
  },
};
