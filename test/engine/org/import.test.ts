import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOrgUnits, parseOrgUnitsCsv } from '../../../engine/org/import.ts';
import { ancestorCodes, getOrgUnit, listSubtree } from '../../../engine/org/org-units.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

describe('parseOrgUnitsCsv', () => {
  it('reports bad codes, levels and headers with line numbers', () => {
    const r = parseOrgUnitsCsv(
      'code,name,parent,level\n510000,四川省,,province\n51x,坏,510000,city\n510100,成都市,510000,town\n',
    );
    expect(r.rows.map((x) => x.code)).toEqual(['510000']);
    expect(r.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(parseOrgUnitsCsv('a,b\n1,2').problems[0]?.line).toBe(1);
  });

  it('reads the shipped demo file: one province, 21 cities, 183 counties, townships and villages', () => {
    const r = parseOrgUnitsCsv(readFileSync('demo/org-units.csv', 'utf8'));
    expect(r.problems).toEqual([]);
    const count = (level: string) => r.rows.filter((x) => x.level === level).length;
    expect([count('province'), count('city'), count('county')]).toEqual([1, 21, 183]);
    expect(count('township')).toBeGreaterThan(0);
    expect(count('village')).toBeGreaterThan(0);
  });
});

describe.each(dialects())('importOrgUnits on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('imports children listed before parents and builds materialised paths', async () => {
    const { rows } = parseOrgUnitsCsv(
      'code,name,parent,level\n510104,锦江区,510100,county\n510100,成都市,510000,city\n510000,四川省,,province\n510300,自贡市,510000,city\n',
    );
    const r = await importOrgUnits(t.db, rows);
    expect(r).toEqual({ imported: 4, problems: [] });
    expect((await getOrgUnit(t.db, '510104'))?.path).toBe('/510000/510100/510104/');
    const chengdu = await listSubtree(t.db, '/510000/510100/');
    expect(chengdu.map((u) => u.code)).toEqual(['510100', '510104']);
    expect(ancestorCodes('/510000/510100/510104/')).toEqual(['510000', '510100', '510104']);
  });

  it('updates names on re-import and refuses units whose parent is unknown', async () => {
    await importOrgUnits(t.db, [{ code: '510100', name: '成都', parent: '510000', level: 'city' }]);
    expect((await getOrgUnit(t.db, '510100'))?.name).toBe('成都');
    const r = await importOrgUnits(t.db, [
      { code: '520100', name: '贵阳市', parent: '520000', level: 'city' },
    ]);
    expect(r.imported).toBe(0);
    expect(r.problems).toHaveLength(1);
    expect(await getOrgUnit(t.db, '520100')).toBeUndefined();
  });
});
