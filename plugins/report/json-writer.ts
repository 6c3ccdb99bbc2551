import type { Writable } from 'node:stream';
import type { Locale } from '../../engine/entry/plugin.ts';
import { writeChunk } from './csv.ts';
import { headerRows } from './header-rows.ts';
import { headerText, type ReportTable } from './table.ts';

/**
 * Writes a report as one JSON document, streaming its rows: `{ id, title, notes, columns,
 * groups, headerRows, footnotes, rows: [{ kind, cells }…] }`.
 */
export async function writeJson(
  table: ReportTable,
  out: Writable,
  opts: { locale?: Locale; onRow?: (n: number) => void } = {},
): Promise<number> {
  const locale = opts.locale ?? 'zh-CN';
  const head = {
    id: table.id,
    title: table.title,
    notes: table.notes,
    columns: table.columns.map((c) => ({ ...c, header: headerText(c, locale) })),
    groups: table.groups,
    // The header as printed (one, two or three rows with their spans) and the lines under the table.
    headerRows: headerRows(table, locale),
    footnotes: table.footnotes ?? [],
  };
  let buf = `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  let n = 0;
  for await (const row of table.rows) {
    buf += (n === 0 ? '' : ',') + JSON.stringify(row);
    n++;
    if (buf.length > 64 * 1024) {
      await writeChunk(out, buf);
      buf = '';
      opts.onRow?.(n);
    }
  }
  buf += ']}';
  await writeChunk(out, buf);
  opts.onRow?.(n);
  return n;
}
