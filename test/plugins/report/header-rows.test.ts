import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerRows } from '../../../plugins/report/header-rows.ts';
import { columnGroups, type ReportColumn } from '../../../plugins/report/table.ts';

const ROOT = join(import.meta.dirname, '../../..');
const col = (id: string, label: string, unit?: string): ReportColumn => ({
  id,
  label: { 'zh-CN': label, en: label },
  ...(unit ? { unit } : {}),
  format: 'integer',
  total: false,
});

/** The cells of each row as `text/colspan/rowspan`. */
const shape = (rows: { text: string; colspan: number; rowspan: number }[][]) =>
  rows.map((r) => r.map((c) => `${c.text}/${c.colspan}/${c.rowspan}`));

describe('header rows of a printed table', () => {
  it('one row without groups, each header with its unit', () => {
    const columns = [col('a', '序号'), col('b', '家庭人均收入', '元/月')];
    expect(shape(headerRows({ columns, groups: [] }, 'zh-CN'))).toEqual([
      ['序号/1/1', '家庭人均收入（元/月）/1/1'],
    ]);
  });

  it('two rows with groups: the group over its columns, a lone header over both rows', () => {
    const columns = [col('u', '县'), col('v', '人次数'), col('f', '支出资金（元）')];
    const groups = columnGroups(columns, [{ label: { 'zh-CN': '走访', en: 'Visits' }, columns: ['v', 'f'] }]);
    expect(shape(headerRows({ columns, groups }, 'zh-CN'))).toEqual([
      ['县/1/2', '走访/2/1'],
      ['人次数/1/1', '支出资金（元）/1/1'],
    ]);
  });

  it('附件1 as on paper: titles, sub-titles and units in three rows, every column covered once', () => {
    const def = JSON.parse(readFileSync(join(ROOT, 'plugins/report/reports/visit-statistics.json'), 'utf8'));
    const columns: ReportColumn[] = [
      col('unit', def.layout.unitLabel['zh-CN']),
      ...def.measures.map((m: { id: string; label: { 'zh-CN': string }; unit?: string }) =>
        col(m.id, m.label['zh-CN'], m.unit),
      ),
    ];
    const rows = headerRows({ columns, groups: columnGroups(columns, def.layout.groups) }, 'zh-CN');
    expect(rows).toHaveLength(3);
    expect(shape(rows)[0]).toEqual([
      '县（市、区）/1/3',
      '出动人次/1/2',
      '走访慰问低保、特困人员等特殊困难群众情况/2/2',
      '其中：生活困难的党员、老党员/2/2',
      '其中：退役军人和其他优抚对象/2/2',
      '通过走访发现并纳入救助范围的对象/5/1',
      '走访后解决的政策问题/1/2',
      '走访后解决的个案问题/1/2',
    ]);
    expect(shape(rows)[1]).toEqual([
      '人数/1/2',
      '其中:纳入低保人数/1/2',
      '其中:纳入特困人数/1/2',
      '其中:纳入临时救助/1/2',
      '其中:纳入其他救助/1/2',
    ]);
    expect(rows[2]?.map((c) => c.text)).toEqual([
      '人次',
      '人次数',
      '支出资金（元）',
      '人次数',
      '支出资金（元）',
      '人次数',
      '支出资金（元）',
      '个',
      '个',
    ]);
    // Every column is covered exactly once over the three rows (a grid with no hole and no overlap).
    const grid: number[][] = [[], [], []];
    rows.forEach((row, r) => {
      let x = 0;
      for (const c of row) {
        while (grid[r]?.[x]) x++;
        for (let dy = 0; dy < c.rowspan; dy++)
          for (let dx = 0; dx < c.colspan; dx++) (grid[r + dy] as number[])[x + dx] = 1;
        x += c.colspan;
      }
    });
    for (const line of grid) expect(line.filter(Boolean)).toHaveLength(columns.length);
  });
});
