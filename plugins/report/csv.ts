import type { Writable } from 'node:stream';
import type { Locale } from '../../engine/entry/plugin.ts';
import { type Cell, headerText, type ReportTable } from './table.ts';

/** UTF-8 byte order mark: without it Excel opens Chinese text as mojibake. */
export const BOM = '\uFEFF';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text starting
 * with = + - @ (or a tab/CR) would run as a formula in a spreadsheet, so it gets a leading `'`.
 * Numbers are written as numbers (a negative amount is not a formula).
 */
export function csvField(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const line = (cells: readonly Cell[]) => `${cells.map(csvField).join(',')}\r\n`;

/** Waits for the stream to drain when its buffer is full, so memory stays flat however many rows. */
export function writeChunk(out: Writable, chunk: string): Promise<void> | undefined {
  if (out.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      out.off('drain', onDrain);
      reject(e);
    };
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

/**
 * Writes a report as CSV: BOM, a group header line when the layout has groups, the column
 * headers, then every row as it arrives. Returns the number of rows written.
 */
export async function writeCsv(
  table: ReportTable,
  out: Writable,
  opts: { locale?: Locale; onRow?: (n: number) => void } = {},
): Promise<number> {
  const locale = opts.locale ?? 'zh-CN';
  let buf = BOM;
  if (table.groups.length > 0) {
    const g: Cell[] = table.columns.map(() => '');
    for (const grp of table.groups) g[grp.start] = grp.label[locale];
    buf += line(g);
  }
  buf += line(table.columns.map((c) => headerText(c, locale)));
  let n = 0;
  for await (const row of table.rows) {
    buf += line(table.columns.map((c) => row.cells[c.id] ?? null));
    n++;
    // Batches of rows per write: fewer calls, same flat memory.
    if (buf.length > 64 * 1024) {
      await writeChunk(out, buf);
      buf = '';
      opts.onRow?.(n);
    }
  }
  if (buf) await writeChunk(out, buf);
  opts.onRow?.(n);
  return n;
}
