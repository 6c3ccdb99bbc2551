import type { Writable } from 'node:stream';
import { type Locale, text } from '../../engine/entry/plugin.ts';
import { aggregateReport } from './aggregate-report.ts';
import type { ReportContext, ReportRequest } from './context.ts';
import { writeCsv } from './csv.ts';
import { documentContext } from './document-report.ts';
import { reportError } from './errors.ts';
import { renderTableHtml } from './html-writer.ts';
import { writeJson } from './json-writer.ts';
import { listReport } from './list-report.ts';
import type { ReportDefinition } from './report-schema.ts';
import { scrubText } from './scrub.ts';
import { statusReport } from './status-report.ts';
import type { Cell, ReportRow, ReportTable } from './table.ts';
import type { TemplateStore } from './templates-store.ts';
import { writeXlsx } from './xlsx.ts';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};

/**
 * Builds the table of a table-shaped report (aggregate, status, list). For a viewer without
 * `pii` every text cell passes `scrubText` too, whatever the report kind or the format written.
 */
export async function buildTable(
  ctx: ReportContext,
  def: ReportDefinition,
  req: ReportRequest,
): Promise<ReportTable> {
  const table = await buildAnyTable(ctx, def, req);
  return req.viewer.pii ? table : { ...table, rows: scrubRows(table.rows) };
}

async function* scrubRows(rows: AsyncIterable<ReportRow>): AsyncGenerator<ReportRow> {
  for await (const row of rows) {
    let cells: Record<string, Cell> | undefined;
    for (const [k, v] of Object.entries(row.cells)) {
      if (typeof v !== 'string') continue;
      const s = scrubText(v);
      if (s === v) continue;
      cells ??= { ...row.cells };
      cells[k] = s;
    }
    yield cells ? { ...row, cells } : row;
  }
}

function buildAnyTable(ctx: ReportContext, def: ReportDefinition, req: ReportRequest): Promise<ReportTable> {
  switch (def.kind) {
    case 'aggregate':
      return aggregateReport(ctx, def, req);
    case 'status':
      return statusReport(ctx, def, req);
    case 'list':
      return listReport(ctx, def, req);
    default:
      throw reportError(
        'NX_ERR_REPORT_BAD_REQUEST',
        text(
          `报表“${def.id}”是单份文书，只有 html 和 json 格式`,
          `Report "${def.id}" is a document: html or json only`,
        ),
      );
  }
}

export interface WriteOptions {
  readonly format: ReportFormat;
  readonly templates: TemplateStore;
  readonly locale?: Locale;
  /** Documents: the submission to print (blank form when absent). */
  readonly submission?: string | undefined;
  readonly onRow?: (n: number) => void;
  /** Called with the table once built (e.g. to start a progress bar with its size). */
  readonly onTable?: (table: ReportTable) => void;
}

/** Builds a report and writes it to `out` in the format asked for; returns the rows written. */
export async function writeReport(
  ctx: ReportContext,
  def: ReportDefinition,
  req: ReportRequest,
  out: Writable,
  opts: WriteOptions,
): Promise<number> {
  if (def.kind === 'document') {
    const context = await documentContext(ctx, def, { ...req, submission: opts.submission });
    if (opts.format === 'json') out.end(JSON.stringify(context));
    else if (opts.format === 'html')
      out.end(opts.templates.render(def.template ?? def.id, req.org.path, context));
    else {
      throw reportError(
        'NX_ERR_REPORT_BAD_REQUEST',
        text(
          `报表“${def.id}”是单份文书，只有 html 和 json 格式`,
          `Report "${def.id}" is a document: html or json only`,
        ),
      );
    }
    return 1;
  }
  const table = await buildTable(ctx, def, req);
  opts.onTable?.(table);
  return writeTable(table, out, { ...opts, orgPath: req.org.path, template: def.template });
}

/** Writes a built table; the stream is ended (HTML is rendered whole, the others stream). */
export async function writeTable(
  table: ReportTable,
  out: Writable,
  opts: Pick<WriteOptions, 'format' | 'templates' | 'locale' | 'onRow'> & {
    orgPath: string;
    template?: string | undefined;
  },
): Promise<number> {
  const locale = opts.locale ?? 'zh-CN';
  const wopts = { locale, ...(opts.onRow ? { onRow: opts.onRow } : {}) };
  let n: number;
  switch (opts.format) {
    case 'json':
      n = await writeJson(table, out, wopts);
      break;
    case 'csv':
      n = await writeCsv(table, out, wopts);
      break;
    case 'xlsx':
      // The workbook writer ends the stream itself.
      return writeXlsx(table, out, wopts);
    case 'html':
      out.end(
        await renderTableHtml(table, opts.templates, {
          orgPath: opts.orgPath,
          template: opts.template,
          locale,
        }),
      );
      return -1;
  }
  out.end();
  return n;
}
