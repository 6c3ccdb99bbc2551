import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { text } from '../../../engine/index.ts';
import {
  type ReportColumn,
  type ReportRow,
  type ReportTable,
  writeXlsx,
} from '../../../plugins/report/index.ts';
import { columnName } from '../../../plugins/report/xlsx/sheet-xml.ts';

const columns: ReportColumn[] = [
  { id: 'name', label: text('姓名', 'Name'), format: 'text', total: false },
  { id: 'size', label: text('家庭人口', 'Household'), unit: '人', format: 'integer', total: true },
  { id: 'income', label: text('人均收入', 'Income'), unit: '元', format: 'money', total: false },
  { id: 'date', label: text('日期', 'Date'), format: 'date', total: false },
];

function table(rows: ReportRow[], more: Partial<ReportTable> = {}): ReportTable {
  return {
    id: 'roster',
    title: text('花名册 <&>', 'Roster <&>'),
    notes: [text('单位：户', 'Unit: household')],
    columns,
    groups: [],
    rows: (async function* () {
      yield* rows;
    })(),
    ...more,
  };
}

async function reopen(t: ReportTable, opts: Parameters<typeof writeXlsx>[2] = {}) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const n = await writeXlsx(t, out, opts);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no sheet');
  return { n, ws };
}

describe('writeXlsx', () => {
  it('names columns past Z the way Excel does', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('keeps text exactly (escaped markup, blanks at the ends, control characters dropped) and numbers as numbers', async () => {
    const rows: ReportRow[] = [
      { kind: 'data', cells: { name: '王<b>&"丽"', size: 3, income: 1234.5, date: '2021-06-03' } },
      { kind: 'data', cells: { name: '  李\u0001明 ', size: null, income: 0, date: null } },
      { kind: 'total', cells: { name: '合计', size: 3, income: null, date: null } },
    ];
    const progress: number[] = [];
    const { n, ws } = await reopen(table(rows), { onRow: (k) => progress.push(k) });
    expect(n).toBe(3);
    expect(progress.at(-1)).toBe(3);
    expect(ws.name).toBe('roster');
    expect(ws.getCell('A1').value).toBe('花名册 <&>');
    expect(ws.getCell('A2').value).toBe('单位：户');
    expect(ws.getCell('B3').value).toBe('家庭人口（人）');
    expect(ws.getCell('A4').value).toBe('王<b>&"丽"');
    expect(ws.getCell('B4').value).toBe(3);
    expect(ws.getCell('C4').value).toBe(1234.5);
    expect(ws.getCell('D4').value).toBe('2021-06-03');
    expect(ws.getCell('A5').value).toBe('  李明 ');
    expect(ws.getCell('B5').value).toBeNull();
    expect(ws.getCell('C5').value).toBe(0);
  });

  it('formats, bolds totals, freezes the single header row, sets widths and an A4 landscape page', async () => {
    const rows: ReportRow[] = [
      { kind: 'data', cells: { name: '甲', size: 1200, income: 5, date: null } },
      { kind: 'subtotal', cells: { name: '小计', size: 1200, income: null, date: null } },
      { kind: 'total', cells: { name: '合计', size: 1200, income: null, date: null } },
    ];
    const { ws } = await reopen(table(rows, { notes: [] }), { locale: 'en', sheetName: 'a/b' });
    expect(ws.name).toBe('a_b');
    expect(ws.getCell('A1').value).toBe('Roster <&>');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A1').font?.size).toBe(16);
    expect((ws.model as unknown as { merges: string[] }).merges).toEqual(['A1:D1']);
    expect(ws.getCell('B2').value).toBe('Household（人）');
    expect(ws.getCell('B2').font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.getCell('B3').numFmt).toBe('#,##0');
    expect(ws.getCell('C3').numFmt).toBe('#,##0.00');
    expect(ws.getCell('A3').font?.bold).toBeFalsy();
    expect(ws.getCell('A4').font?.bold).toBe(true);
    expect(ws.getCell('B5').font?.bold).toBe(true);
    expect(ws.getCell('B5').numFmt).toBe('#,##0');
    expect(ws.getCell('A3').border?.top?.style).toBe('thin');
    expect(ws.getColumn(1).width).toBe(18);
    expect(ws.getColumn(2).width).toBe(14);
    expect(ws.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
    });
  });

  it('puts group labels over their columns and merges ungrouped headers down', async () => {
    const t = table([], { groups: [{ label: text('收入', 'Income'), start: 1, span: 2 }] });
    const { ws } = await reopen(t);
    expect((ws.model as unknown as { merges: string[] }).merges).toEqual(
      expect.arrayContaining(['A1:D1', 'A2:D2', 'B3:C3', 'A3:A4', 'D3:D4']),
    );
    expect(ws.getCell('A3').value).toBe('姓名');
    expect(ws.getCell('B3').value).toBe('收入');
    expect(ws.getCell('B4').value).toBe('家庭人口（人）');
    expect(ws.getCell('C4').value).toBe('人均收入（元）');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
  });

  it('stops reading rows while the output is not taking bytes, then finishes', async () => {
    const total = 200_000;
    let produced = 0;
    async function* rows(): AsyncGenerator<ReportRow> {
      for (let i = 0; i < total; i++) {
        produced++;
        yield {
          kind: 'data',
          // Scrambled digits, so the sheet does not compress to nothing and the window stays small.
          cells: {
            name: `户主${(i * 2654435761) % 4294967291}`,
            size: i % 7,
            income: (i * 7919) % 99991,
            date: null,
          },
        };
      }
    }
    let open = false;
    const held: (() => void)[] = [];
    let bytes = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (open) cb();
        else held.push(cb);
      },
    });
    const done = writeXlsx(table([], { rows: rows() }), out);
    // With the sink stalled, reading must come to a stop after a bounded window of rows (the
    // window's size depends on the zip's buffers and how well the XML compresses, not on time).
    const settle = async (): Promise<number> => {
      await new Promise((r) => setTimeout(r, 300));
      return produced;
    };
    let before = await settle();
    let after = await settle();
    for (let tries = 0; after !== before && tries < 20; tries++) {
      before = after;
      after = await settle();
    }
    expect(after).toBe(before);
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(total / 4);
    open = true;
    for (const cb of held.splice(0)) cb();
    expect(await done).toBe(total);
    expect(produced).toBe(total);
    expect(bytes).toBeGreaterThan(0);
  });

  it('rejects and ends the output when the rows fail', async () => {
    async function* rows(): AsyncGenerator<ReportRow> {
      yield { kind: 'data', cells: { name: 'x', size: 1, income: 1, date: null } };
      throw new Error('database gone');
    }
    const out = new PassThrough();
    out.resume();
    await expect(writeXlsx(table([], { rows: rows() }), out)).rejects.toThrow('database gone');
    expect(out.destroyed).toBe(true);
  });
});
