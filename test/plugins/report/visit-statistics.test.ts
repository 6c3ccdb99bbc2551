import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit, type OrgUnit } from '../../../engine/entry/server.ts';
import {
  aggregateReport,
  collectRows,
  cumulativeRange,
  endOfPreviousMonth,
  reportServiceFromConfig,
  statusReport,
  writeCsv,
  writeXlsx,
} from '../../../plugins/report/index.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { insertSubmission, seedOrgUnits, VISIT_COLUMNS, visitData } from './seed-data.ts';

const service = reportServiceFromConfig({});
const def = service.get('visit-statistics');
const statusDef = service.get('visit-statistics-status');

async function buffer(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => out.on('end', r));
  await write(out);
  await done;
  return Buffer.concat(chunks);
}

describe('cumulative range of the seed', () => {
  it('runs from the campaign start to the end of the month before the due date', () => {
    expect(cumulativeRange('2021-04-25', '2021-06-03')).toEqual({ from: '2021-04-25', to: '2021-05-31' });
    expect(cumulativeRange('2021-04-25', '2021-09-03').to).toBe('2021-08-31');
    expect(endOfPreviousMonth('2022-01-04')).toBe('2021-12-31');
    expect(endOfPreviousMonth('2021-03-03')).toBe('2021-02-28');
  });
});

for (const dialect of dialects()) {
  describe(`附件1 visit statistics (${dialect.name})`, () => {
    let t: TestDatabase;
    let province: OrgUnit;
    let bazhong: OrgUnit;
    const chengduData = visitData('510100', '2021-06-03', ['510104'], 1);
    const bazhongOld = visitData('511900', '2021-06-03', ['511902', '511923'], 2);
    const bazhongNew = visitData('511900', '2021-06-03', ['511902', '511923'], 3);
    const bazhongLater = visitData('511900', '2021-09-03', ['511902', '511923'], 4);
    const ctx = () => ({ ...service.context(t.db), now: () => '2021-09-10T00:00:00Z' });
    beforeAll(async () => {
      t = await dialect.open();
      await seedOrgUnits(t.db);
      // Chengdu hands in on the due date at 23:00 China time: on time.
      await insertSubmission(t.db, {
        formId: 'visit-statistics',
        orgCode: '510100',
        data: chengduData,
        createdAt: '2021-06-03T15:00:00.000Z',
      });
      // Bazhong hands in late (00:30 the next day, China time), then corrects it: the latest counts.
      await insertSubmission(t.db, {
        formId: 'visit-statistics',
        orgCode: '511900',
        data: bazhongOld,
        createdAt: '2021-06-03T16:30:00.000Z',
      });
      await insertSubmission(t.db, {
        formId: 'visit-statistics',
        orgCode: '511900',
        data: bazhongNew,
        createdAt: '2021-06-05T02:00:00.000Z',
      });
      await insertSubmission(t.db, {
        formId: 'visit-statistics',
        orgCode: '511900',
        data: bazhongLater,
        createdAt: '2021-09-01T02:00:00.000Z',
      });
      // A draft never counts.
      await insertSubmission(t.db, {
        formId: 'visit-statistics',
        orgCode: '510100',
        data: visitData('510100', '2021-06-03', ['510104'], 9),
        createdAt: '2021-06-06T00:00:00.000Z',
        status: 'draft',
      });
      province = (await getOrgUnit(t.db, '510000')) as OrgUnit;
      bazhong = (await getOrgUnit(t.db, '511900')) as OrgUnit;
    }, 60_000);
    afterAll(() => t.destroy());

    const sum = (rows: Record<string, unknown>[], c: string) =>
      Math.round(rows.reduce((a, r) => a + (r[c] as number), 0) * 100) / 100;

    it('the province total equals the sum of the cities’ latest submissions, column by column', async () => {
      const table = await aggregateReport(ctx(), def, {
        org: province,
        period: '2021-06-03',
        viewer: { pii: false },
      });
      const rows = await collectRows(table);
      expect(rows.map((r) => r.cells.unit)).toEqual(['成都市', '巴中市', '合计']);
      const [chengdu, bz, total] = rows;
      for (const c of VISIT_COLUMNS) {
        expect(chengdu?.cells[c], c).toBe(sum(chengduData.rows, c));
        expect(bz?.cells[c], c).toBe(sum(bazhongNew.rows, c));
        expect(total?.cells[c], c).toBe(sum([...chengduData.rows, ...bazhongNew.rows], c));
      }
      expect(table.notes.map((n) => n['zh-CN']).join('\n')).toContain('2021-04-25 至 2021-05-31');
    });

    it('as of a date: what had been filed by then (the correction of 06-05 not yet), and the header says which date', async () => {
      const req = { org: province, period: '2021-06-03', asOf: '2021-06-04', viewer: { pii: false } };
      const table = await aggregateReport(ctx(), def, req);
      const rows = await collectRows(table);
      expect(rows[1]?.cells.visits).toBe(sum(bazhongOld.rows, 'visits'));
      expect(rows[1]?.cells.visits).not.toBe(sum(bazhongNew.rows, 'visits'));
      expect(table.notes.map((n) => n['zh-CN'])).toContain('截至 2021-06-04');
      expect(table.notes.map((n) => n.en)).toContain('As of 2021-06-04');
      // Printed later, the same date gives the same table.
      const again = await collectRows(
        await aggregateReport({ ...ctx(), now: () => '2022-01-01T00:00:00Z' }, def, req),
      );
      expect(again).toEqual(rows);
      await expect(aggregateReport(ctx(), def, { ...req, asOf: '2021-06-31' })).rejects.toMatchObject({
        code: 'NX_ERR_REPORT_BAD_REQUEST',
      });
    });

    it('a city’s table has one row per county; other periods are not added in', async () => {
      const rows = await collectRows(
        await aggregateReport(ctx(), def, { org: bazhong, period: '2021-09-03', viewer: { pii: false } }),
      );
      expect(rows.map((r) => r.cells.unit)).toEqual(['巴州区', '平昌县', '合计']);
      expect(rows[1]?.cells.visits).toBe(bazhongLater.rows[1]?.visits);
      expect(rows[2]?.cells.visits).toBe(sum(bazhongLater.rows, 'visits'));
    });

    it('status: on time, late by the end of the due date (China time), missing after it', async () => {
      const rows = await collectRows(
        await statusReport(ctx(), statusDef, { org: province, period: '2021-06-03', viewer: { pii: false } }),
      );
      expect(rows.slice(0, 2).map((r) => [r.cells.unit, r.cells.statusCode])).toEqual([
        ['成都市', 'on_time'],
        ['巴中市', 'late'],
      ]);
      const later = await collectRows(
        await statusReport(ctx(), statusDef, { org: province, period: '2021-09-03', viewer: { pii: false } }),
      );
      expect(later.slice(0, 2).map((r) => r.cells.statusCode)).toEqual(['missing', 'on_time']);
      const pending = await collectRows(
        await statusReport({ ...ctx(), now: () => '2021-12-01T00:00:00Z' }, statusDef, {
          org: province,
          period: '2021-12-03',
          viewer: { pii: false },
        }),
      );
      expect(pending.slice(0, 2).map((r) => r.cells.statusCode)).toEqual(['pending', 'pending']);
    });

    it('XLSX reopened has the merged two-level header, a frozen header and the right totals', async () => {
      const table = await aggregateReport(ctx(), def, {
        org: province,
        period: '2021-06-03',
        viewer: { pii: false },
      });
      const bytes = await buffer((out) => writeXlsx(table, out));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      if (!ws) throw new Error('no sheet');
      // Title, 2 notes (unit, round and range), then the header on rows 4 and 5.
      expect(ws.getCell('A1').value).toBe(def.title['zh-CN']);
      const merges = (ws.model as unknown as { merges: string[] }).merges;
      expect(merges).toEqual(expect.arrayContaining(['C4:D4', 'E4:F4', 'G4:H4', 'I4:M4', 'A4:A5', 'B4:B5']));
      expect(ws.getCell('C4').value).toBe('走访慰问低保、特困人员等特殊困难群众情况');
      expect(ws.getCell('C5').value).toBe('人次数');
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
      const totalRow = ws.getRow(8);
      expect(totalRow.getCell(1).value).toBe('合计');
      expect(totalRow.getCell(3).value).toBe(sum([...chengduData.rows, ...bazhongNew.rows], 'visits'));
      expect(totalRow.getCell(4).value).toBe(sum([...chengduData.rows, ...bazhongNew.rows], 'visitFunds'));
      expect(totalRow.getCell(4).numFmt).toBe('#,##0.00');
    });

    it('CSV starts with the BOM and carries both header levels', async () => {
      const table = await aggregateReport(ctx(), def, {
        org: province,
        period: '2021-06-03',
        viewer: { pii: false },
      });
      const text = (await buffer((out) => writeCsv(table, out).then(() => out.end()))).toString('utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).toContain('走访慰问低保、特困人员等特殊困难群众情况');
      expect(lines[1]?.startsWith('县（市、区）,出动人次（人次）,人次数')).toBe(true);
      expect(lines[4]?.startsWith('合计,')).toBe(true);
    });
  });
}
