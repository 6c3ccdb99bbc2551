import { createReadStream } from 'node:fs';
import type { Cell } from './csv-records.ts';

/** The first worksheet of an XLSX file, row by row, through exceljs's streaming reader. */
export async function* xlsxRecords(file: string, bytes: { read: number }): AsyncGenerator<Cell[]> {
  // exceljs is loaded when an XLSX file is met: most imports are CSV and it is slow to load.
  const { default: ExcelJS } = await import('exceljs');
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
