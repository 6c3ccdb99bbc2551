import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { diffSnapshots } from '../../engine/audit/audit.ts';
import type { Principal } from '../../engine/auth/principal.ts';
import type { ScalarField, TableField } from '../../engine/definition/form-schema.ts';
import { NxError } from '../../engine/errors/nx-error.ts';
import { EffectiveForms } from '../../engine/forms/effective-forms.ts';
import { dataFields } from '../../engine/forms/walk-fields.ts';
import type { Text } from '../../engine/i18n.ts';
import { getOrgUnit } from '../../engine/org/org-units.ts';
import { ENGINE_VERSION } from '../../engine/plugin/engine-version.ts';
import { loadPluginsFromFile } from '../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../engine/server/plugin-bridge.ts';
import { nowIso } from '../../engine/store/clock.ts';
import { openDatabase } from '../../engine/store/open.ts';
import type { Database, SubmissionTable } from '../../engine/store/schema.ts';
import { type Submission, type SubmissionHooks, toSubmission } from '../../engine/submissions/submission.ts';
import { builtinPlugins } from '../../plugins/builtins.ts';
import type { CliCommand } from '../command.ts';

/** One rejected value of one row, as the error report lists it. */
export interface RowError {
  /** Spreadsheet row number: the header is row 1, the first data row is row 2. */
  row: number;
  /** JSON pointer of the field (`/members/0/idNumber`), or '' for the whole row. */
  field: string;
  code: string;
  message: Text;
}

export interface ImportOptions {
  db: Kysely<Database>;
  formId: string;
  file: string;
  orgCode: string;
  /** Who the rows and audit entries are recorded as (default `import`). */
  actor?: string;
  status?: 'draft' | 'submitted';
  /** Date submissions are judged on (ages, date limits); defaults to today. */
  today?: string;
  batchSize?: number;
  hooks?: readonly SubmissionHooks[];
  compile?: ConstructorParameters<typeof EffectiveForms>[1];
  /** Called with (bytes read, total bytes) after each batch. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  rows: number;
  imported: number;
  /** Rows whose submission already exists (an earlier run of the same rows). */
  skipped: number;
  rejected: number;
  errors: RowError[];
}

type Cell = string | number | boolean | null;
type Source = AsyncGenerator<Cell[]>;

/**
 * Streams CSV records (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) so a
 * million-row file never sits in memory; `bytes.read` follows the file for the progress bar.
 */
export async function* csvRecords(file: string, bytes: { read: number } = { read: 0 }): Source {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let first = true;
  // A quote that ends a chunk may be the first half of a doubled quote: decided with the next chunk.
  let carry = '';
  // Decoding in the stream keeps a character split between two chunks whole.
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of input) {
    bytes.read = input.bytesRead;
    let s = carry + (chunk as string);
    carry = '';
    if (first && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    first = false;
    let start = 0;
    const out: string[][] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (quoted) {
        if (c !== 34) continue;
        field += s.slice(start, i);
        if (i === s.length - 1) {
          carry = '"';
          start = s.length;
          break;
        }
        if (s.charCodeAt(i + 1) === 34) {
          field += '"';
          i++;
        } else quoted = false;
        start = i + 1;
        afterQuote = true;
      } else if (c === 34) {
        quoted = true;
        start = i + 1;
      } else if (c === 44 || c === 10 || c === 13) {
        if (!afterQuote || start < i) field += s.slice(start, i);
        row.push(field);
        field = '';
        afterQuote = false;
        if (c !== 44) {
          if (c === 13 && s.charCodeAt(i + 1) === 10) i++;
          if (!(row.length === 1 && row[0] === '')) out.push(row);
          row = [];
        }
        start = i + 1;
      }
    }
    if (start < s.length) field += s.slice(start);
    for (const r of out) yield r;
  }
  // A closing quote at the very end of the file.
  if (carry) quoted = false;
  if (field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}

/** The first worksheet of an XLSX file, row by row, through exceljs's streaming reader. */
async function* xlsxRecords(file: string, bytes: { read: number }): Source {
  const input = createReadStream(file);
  input.on('data', (c) => {
    bytes.read += c.length;
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    for await (const r of sheet) {
      const values = (r as { values: unknown[] }).values;
      const out: Cell[] = [];
      for (let i = 1; i < values.length; i++) out.push(xlsxCell(values[i]));
      yield out;
    }
    return;
  }
}

function xlsxCell(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const o = v as { richText?: { text: string }[]; text?: string; result?: unknown };
  if (o.richText) return o.richText.map((t) => t.text).join('');
  if (o.result !== undefined) return xlsxCell(o.result);
  return typeof o.text === 'string' ? o.text : String(v);
}

/** Types whose cells are text even when a spreadsheet stored them as numbers (IDs, phones, codes). */
const TEXTUAL = new Set(['text', 'textarea', 'select', 'phone', 'idcard', 'orgunit', 'date']);

/**
 * A row of cells as submission data: blank cells are left out (so defaults and "required" apply),
 * tables (and tick boxes written as `[…]`) are JSON, other tick boxes a separated list; everything else goes to the runtime as read,
 * which coerces text to the field's type and reports what it cannot.
 */
function rowData(header: string[], cells: Cell[], types: Map<string, string>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) {
    const key = header[i] as string;
    const type = types.get(key);
    let v = cells[i];
    if (type === undefined || v === undefined || v === null || v === '') continue;
    if (typeof v === 'number' && TEXTUAL.has(type)) v = String(v);
    if (typeof v === 'string' && (type === 'table' || (type === 'multiselect' && v.startsWith('[')))) {
      try {
        data[key] = JSON.parse(v);
        continue;
      } catch {
        // Not JSON: the runtime reports the cell as the wrong kind of value.
      }
    }
    // Tick boxes in a cell: `a,b`, `a;b`, `a|b` or the Chinese 、 and ，separators.
    if (typeof v === 'string' && type === 'multiselect') {
      data[key] = v
        .split(/[,;|、，；]/)
        .map((x) => x.trim())
        .filter((x) => x !== '');
      continue;
    }
    data[key] = v;
  }
  return data;
}

/**
 * The id a row's submission gets: derived from the form, the unit and the row's cells, so a
 * re-run of the same file finds the rows it stored before and skips them instead of doubling them.
 */
function rowId(formId: string, orgCode: string, header: string[], cells: Cell[]): string {
  const h = createHash('sha256')
    .update(JSON.stringify([formId, orgCode, header, cells]))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Pending {
  line: number;
  row: SubmissionTable;
  submission: Submission;
}

/** Validates every row and stores the valid ones in batched transactions, each with its audit entries. */
export async function importFile(o: ImportOptions): Promise<ImportSummary> {
  const { db, formId } = o;
  const org = await getOrgUnit(db, o.orgCode);
  if (!org) throw new Error(`org unit ${o.orgCode} not found / 无此单位`);
  const form = await new EffectiveForms(db, o.compile).get(formId, org.path);
  if (!form) throw new Error(`form ${formId} has no published version / 表单未发布`);
  const types = new Map<string, string>(
    dataFields(form.definition).map((f: ScalarField | TableField) => [f.id, f.type]),
  );
  const status = o.status ?? 'submitted';
  const actor = o.actor ?? 'import';
  const principal: Principal = {
    userId: actor,
    username: actor,
    orgCode: org.code,
    orgPath: org.path,
    roles: ['admin'],
    permissions: ['pii'],
    tokenId: 'cli-import',
    tokenKind: 'api',
  };
  const ctx = { mode: status === 'draft' ? ('draft' as const) : ('submit' as const), orgUnit: org.code };
  const vctx = o.today ? { ...ctx, today: o.today } : ctx;
  const batchSize = o.batchSize ?? 1000;
  const total = statSync(o.file).size;
  const bytes = { read: 0 };
  const ext = extname(o.file).toLowerCase();
  const source = ext === '.xlsx' ? xlsxRecords(o.file, bytes) : csvRecords(o.file, bytes);
  const summary: ImportSummary = { rows: 0, imported: 0, skipped: 0, rejected: 0, errors: [] };

  let header: string[] | null = null;
  let batch: Pending[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const pending = batch;
    batch = [];
    await db.transaction().execute(async (trx) => {
      const existing = new Set(
        (
          await trx
            .selectFrom('submissions')
            .select('id')
            .where(
              'id',
              'in',
              pending.map((p) => p.row.id),
            )
            .execute()
        ).map((r) => r.id),
      );
      const fresh: Pending[] = [];
      for (const p of pending) {
        // The same row twice in one file is one submission too.
        if (existing.has(p.row.id)) {
          summary.skipped++;
          continue;
        }
        existing.add(p.row.id);
        const args = {
          action: 'create',
          db: trx,
          actor: principal,
          form: form.definition,
          before: null,
          after: p.submission,
        } as const;
        try {
          for (const h of o.hooks ?? []) await h.beforeSave?.(args);
        } catch (err) {
          if (!(err instanceof NxError)) throw err;
          reject(p.line, err);
          continue;
        }
        fresh.push(p);
      }
      // 13 columns a row: 500 rows stay under every dialect's limit on bound parameters.
      for (let i = 0; i < fresh.length; i += 500) {
        const part = fresh.slice(i, i + 500);
        await trx
          .insertInto('submissions')
          .values(part.map((p) => p.row))
          .execute();
        await trx
          .insertInto('audit_log')
          .values(
            part.map((p) => ({
              at: p.row.created_at,
              actor,
              action: 'submission.create',
              entity_type: 'submission',
              entity_id: p.row.id,
              org_path: p.row.org_path,
              diff: JSON.stringify(
                diffSnapshots(null, {
                  status: p.submission.status,
                  version: 1,
                  period: null,
                  data: p.submission.data,
                  source: 'import',
                }),
              ),
            })),
          )
          .execute();
      }
      for (const p of fresh) {
        const args = {
          action: 'create',
          db: trx,
          actor: principal,
          form: form.definition,
          before: null,
          after: p.submission,
        } as const;
        for (const h of o.hooks ?? []) await h.afterSave?.(args);
      }
      summary.imported += fresh.length;
    });
    o.onProgress?.(bytes.read, total);
  };
  /** A plugin's veto: its located errors, else the refusal itself against the whole row. */
  const reject = (line: number, err: NxError) => {
    summary.rejected++;
    const list = err.errors ?? [];
    if (list.length === 0)
      summary.errors.push({ row: line, field: '', code: err.code, message: err.messageText });
    for (const d of list) summary.errors.push({ row: line, field: d.path, code: d.code, message: d.message });
  };

  let line = 0;
  for await (const cells of source) {
    line++;
    if (header === null) {
      header = cells.map((c) => String(c ?? '').trim());
      continue;
    }
    summary.rows++;
    const r = form.compiled.validate(rowData(header, cells, types), vctx);
    if (!r.ok) {
      summary.rejected++;
      for (const e of r.errors)
        summary.errors.push({ row: line, field: e.path, code: e.code, message: e.message });
      continue;
    }
    const now = nowIso();
    const row: SubmissionTable = {
      id: rowId(formId, org.code, header, cells),
      form_id: formId,
      form_version: form.version,
      org_code: org.code,
      org_path: org.path,
      status,
      data: JSON.stringify(r.data),
      version: 1,
      period: null,
      created_by: actor,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    batch.push({ line, row, submission: { ...toSubmission({ ...row, data: '{}' }), data: r.data } });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  o.onProgress?.(total, total);
  return summary;
}

const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** The error report: one line per rejected value (row, field, code, zh-CN, en), UTF-8 with a BOM for Excel. */
export async function writeErrorReport(file: string, errors: readonly RowError[]): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write('\ufeff行号 row,字段 field,代码 code,说明 message (zh-CN),message (en)\n');
  for (const e of errors) {
    await write(
      `${[String(e.row), e.field, e.code, e.message['zh-CN'], e.message.en].map(csvCell).join(',')}\n`,
    );
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

interface CliOptions {
  org?: string;
  db?: string;
  errors?: string;
  status?: string;
  actor?: string;
  today?: string;
  batch?: string;
  config?: string;
}

/** The plugins' submission hooks and compile options, as `serve` loads them. */
async function pluginParts(config: string | undefined) {
  const path = config ?? (existsSync('nuanxin.config.json') ? 'nuanxin.config.json' : undefined);
  if (!path) return { hooks: [], compile: {} };
  const loaded = await loadPluginsFromFile(path, { engineVersion: ENGINE_VERSION, builtins: builtinPlugins });
  const parts = pluginAppOptions(loaded);
  return { hooks: parts.submissionHooks ?? [], compile: { compile: parts.compile } };
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
      .option('--batch <n>', '每个事务的行数 / rows per transaction (default: 1000)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .action(async (formId: string, file: string, opts: CliOptions) => {
        if (opts.status && opts.status !== 'submitted' && opts.status !== 'draft')
          throw new Error('--status must be submitted or draft');
        const db = await openDatabase(opts.db);
        const bar = process.stderr.isTTY
          ? new SingleBar({
              format: '导入 import |{bar}| {percentage}% {value}/{total} KiB | {eta_formatted}',
              stream: process.stderr,
            })
          : null;
        try {
          const plugins = await pluginParts(opts.config);
          const orgCode = opts.org ?? (await defaultOrg(db));
          const kib = (n: number) => Math.round(n / 1024);
          bar?.start(kib(statSync(file).size), 0);
          const started = Date.now();
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
            compile: plugins.compile,
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
