import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitPathSql } from '../../../engine/entry/server.ts';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

/** A unit's path inside one statement, per row, for plugins that compose SQL over many rows. */
describe.each(dialects())('unitPathSql on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
    await importOrgUnits(t.db, [
      { code: '510000', name: '四川省', parent: null, level: 'province' },
      { code: '510100', name: '成都市', parent: '510000', level: 'city' },
      { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
    ]);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const pathsOf = async (scope?: string) => {
    const rows = await sql<{ code: string; path: string | null }>`
      select x.code, ${unitPathSql(sql.ref('x.code'), scope)} as path
      from (select '510100' as code union all select '511900' union all select '999999') x
      order by x.code`.execute(t.db);
    return rows.rows.map((r) => [r.code, r.path]);
  };

  it("gives each row's unit path, null for an unknown code", async () => {
    expect(await pathsOf()).toEqual([
      ['510100', '/510000/510100/'],
      ['511900', '/510000/511900/'],
      ['999999', null],
    ]);
  });

  it('gives null for a unit outside the scope', async () => {
    expect(await pathsOf('/510000/511900/')).toEqual([
      ['510100', null],
      ['511900', '/510000/511900/'],
      ['999999', null],
    ]);
  });
});
