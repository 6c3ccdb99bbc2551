import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, dropTables } from '../../../engine/store/declare-tables.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const TABLES = {
  nx_test_parents: {
    columns: {
      id: 'serial',
      name: 'text not null unique',
      weight: 'double precision',
      n: 'integer not null default 7',
    },
  },
  nx_test_children: {
    columns: {
      parent_id: 'bigint not null references nx_test_parents.id on delete cascade',
      tag: 'text not null',
    },
    primaryKey: { nx_test_children_pk: ['parent_id', 'tag'] },
    uniqueIndexes: { nx_test_children_tag: ['tag'] },
  },
};

describe.each(dialects())('declared tables ($name)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => t?.destroy());

  it('creates the columns as declared: numbering, defaults, not null, unique, keys and indexes', async () => {
    await createTables(t.db, TABLES);
    await sql`insert into nx_test_parents (name) values ('a'), ('b')`.execute(t.db);
    const rows = await sql<{ id: number; n: number }>`select id, n from nx_test_parents order by id`.execute(
      t.db,
    );
    expect(rows.rows.map((r) => [Number(r.id), Number(r.n)])).toEqual([
      [1, 7],
      [2, 7],
    ]);
    await expect(sql`insert into nx_test_parents (name) values ('a')`.execute(t.db)).rejects.toThrow();
    await expect(sql`insert into nx_test_parents (weight) values (1.5)`.execute(t.db)).rejects.toThrow();
    await sql`insert into nx_test_children (parent_id, tag) values (1, 'x')`.execute(t.db);
    await expect(
      sql`insert into nx_test_children (parent_id, tag) values (2, 'x')`.execute(t.db),
    ).rejects.toThrow();
    await dropTables(t.db, TABLES);
    await expect(sql`select 1 from nx_test_parents`.execute(t.db)).rejects.toThrow();
  });

  it('refuses a column it cannot read, naming the table and the column', async () => {
    await expect(createTables(t.db, { nx_x: { columns: { a: 'varchar(3)' } } })).rejects.toThrow(
      /nx_x\.a: unknown column type "varchar\(3\)"/,
    );
    await expect(createTables(t.db, { nx_x: { columns: { a: 'text not nul' } } })).rejects.toThrow(
      /nx_x\.a: cannot read "not nul"/,
    );
  });
});
