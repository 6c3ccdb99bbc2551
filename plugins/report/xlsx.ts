import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../../engine/index.ts';
import type { CellFormat, ReportTable } from './table.ts';

const NUM_FMT: Readonly<Record<CellFormat, string | undefined>> = {
  text: undefined,
  date: undefined,
  integer: '#,##0',
  number: '#,##0.00',
  money: '#,##0.00',
};

const thin = { style: 'thin' } as const;
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

/**
 * Writes a report as an XLSX workbook with exceljs's streaming writer: each row is committed
 * and leaves memory as soon as it is written. Like the paper form: a merged title, notes, a
 * two-level header (group cells merged across their columns, ungrouped headers merged down),
 * number formats per column, bold subtotal/total rows, and the header frozen.
 *
 * Memory: rows leave this function at once, but exceljs 4.4.0 holds the sheet's XML in the zip
 * entry's input buffer until the workbook is committed (about 0.5 KB per 11-column row; see
 * `npm run bench -- export`). CSV has no such limit; very large rosters should go out as CSV.
 */
export async function writeXlsx(
  table: ReportTable,
  out: Writable,
  opts: { locale?: Locale; onRow?: (n: number) => void; sheetName?: string } = {},
): Promise<number> {
  const locale = opts.locale ?? 'zh-CN';
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const width = table.columns.length;
  const notes = table.notes.length;
  const twoLevel = table.groups.length > 0;
  const headerTop = 2 + notes;
  const headerBottom = headerTop + (twoLevel ? 1 : 0);
  const ws = wb.addWorksheet(opts.sheetName ?? table.id.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: headerBottom, xSplit: 0 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  // Styles on the columns: every cell created in them inherits border and number format, which
  // costs far less per row than styling each cell.
  ws.columns = table.columns.map((c) => {
    const fmt = NUM_FMT[c.format];
    return {
      key: c.id,
      width: c.format === 'text' ? 18 : 14,
      style: { border: BORDER, ...(fmt ? { numFmt: fmt } : {}) },
    };
  });

  const title = ws.getRow(1);
  title.getCell(1).value = table.title[locale];
  title.getCell(1).font = { bold: true, size: 16 };
  title.getCell(1).alignment = { horizontal: 'center' };
  ws.mergeCells(1, 1, 1, width);
  title.commit();
  table.notes.forEach((n, i) => {
    const r = ws.getRow(2 + i);
    r.getCell(1).value = n[locale];
    ws.mergeCells(2 + i, 1, 2 + i, width);
    r.commit();
  });

  const header = (r: ExcelJS.Row) => {
    r.font = { bold: true };
    r.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  const top = ws.getRow(headerTop);
  const bottom = twoLevel ? ws.getRow(headerBottom) : top;
  const inGroup = new Set<number>();
  for (const g of table.groups) for (let k = 0; k < g.span; k++) inGroup.add(g.start + k);
  table.columns.forEach((c, i) => {
    const label = c.unit ? `${c.label[locale]}（${c.unit}）` : c.label[locale];
    if (twoLevel && !inGroup.has(i)) top.getCell(i + 1).value = label;
    else bottom.getCell(i + 1).value = label;
    top.getCell(i + 1).border = BORDER;
    bottom.getCell(i + 1).border = BORDER;
  });
  for (const g of table.groups) {
    top.getCell(g.start + 1).value = g.label[locale];
    if (g.span > 1) ws.mergeCells(headerTop, g.start + 1, headerTop, g.start + g.span);
  }
  if (twoLevel) {
    table.columns.forEach((_, i) => {
      if (!inGroup.has(i)) ws.mergeCells(headerTop, i + 1, headerBottom, i + 1);
    });
  }
  header(top);
  top.commit();
  if (twoLevel) {
    header(bottom);
    bottom.commit();
  }

  let n = 0;
  let at = headerBottom + 1;
  for await (const row of table.rows) {
    const r = ws.getRow(at++);
    table.columns.forEach((c, i) => {
      r.getCell(i + 1).value = row.cells[c.id] ?? null;
    });
    if (row.kind !== 'data') r.font = { bold: true };
    r.commit();
    n++;
    if (n % 5000 === 0) opts.onRow?.(n);
  }
  ws.commit();
  await wb.commit();
  opts.onRow?.(n);
  return n;
}
