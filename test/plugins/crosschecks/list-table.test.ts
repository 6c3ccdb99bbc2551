import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ensureListTable, type ListDefinition, loadCatalog } from '../../../plugins/crosschecks/index.ts';
import { dialects } from '../../helpers/dialects.ts';

/**
 * A list's table holds a delivery's rows in the order a comparison reads them: on SQLite the table
 * itself is keyed by delivery, ID number and row (`without rowid`), and a table of the earlier
 * layout (keyed by delivery and row, with an index by ID number) is rebuilt once, every row and
 * column kept; on PostgreSQL an index gives that order.
 */

const list = loadCatalog().list('prr-monitoring');
const table = 'list_prr_monitoring';

const rowsOf = async (db: Parameters<typeof ensureListTable>[0]) =>
  (
    await sql<
      Record<string, unknown>
    >`select delivery_id, row_no, id_number, area_code, "c_monitorType", c_legacy
      from ${sql.table(table)} order by delivery_id, row_no`.execute(db)
  ).rows;

describe.each(dialects())('list tables on $name', (dialect) => {
  it('reads a delivery in ID-number order from the table itself (SQLite) or an index (PostgreSQL)', async () => {
    const t = await dialect.open();
    try {
      await ensureListTable(t.db, list);
      if (dialect.name === 'sqlite') {
        const ddl = (
          await sql<{ sql: string }>`select sql from sqlite_master where name = ${table}`.execute(t.db)
        ).rows[0]?.sql;
        expect(ddl).toMatch(/primary key \("delivery_id", "id_number", "row_no"\)\) without rowid$/);
        const plan = (
          await sql<{ detail: string }>`explain query plan select row_no from ${sql.table(table)}
            where delivery_id = 'd1' order by id_number, row_no`.execute(t.db)
        ).rows.map((r) => r.detail);
        expect(plan.join('|')).toMatch(/USING PRIMARY KEY \(delivery_id=\?\)/);
        expect(plan.join('|')).not.toMatch(/TEMP B-TREE/);
      } else {
        const indexes = (
          await sql<{
            indexname: string;
          }>`select indexname from pg_indexes where tablename = ${table}`.execute(t.db)
        ).rows.map((r) => r.indexname);
        expect(indexes).toContain(`${table}_delivery_subject`);
      }
    } finally {
      await t.destroy();
    }
  });

  it.runIf(dialect.name === 'sqlite')(
    'rebuilds a table of the earlier layout once, keeping its rows and a column the definition no longer has',
    async () => {
      const t = await dialect.open();
      try {
        await sql`create table ${sql.table(table)} (delivery_id text not null, row_no integer not null,
            id_number text not null, area_code text, "c_monitorType" text, c_legacy text,
            constraint ${sql.id(`${table}_pk`)} primary key (delivery_id, row_no))`.execute(t.db);
        await sql`create index ${sql.id(`${table}_id_number`)} on ${sql.table(table)} (id_number)`.execute(
          t.db,
        );
        const ids = ['511923198005050033', '511923198005050011', '511923198005050022'];
        for (const [i, id] of ids.entries())
          await sql`insert into ${sql.table(table)} values ('d1', ${i + 2}, ${id}, '511923102201', 'sudden', ${`old ${i}`})`.execute(
            t.db,
          );
        const before = await rowsOf(t.db);
        const def: ListDefinition = list;
        await ensureListTable(t.db, def);
        expect(await rowsOf(t.db)).toEqual(before);
        const ddl = (
          await sql<{ sql: string }>`select sql from sqlite_master where name = ${table}`.execute(t.db)
        ).rows[0]?.sql;
        expect(ddl).toMatch(
          /constraint "list_prr_monitoring_pk" primary key \("delivery_id", "id_number", "row_no"\)\) without rowid$/,
        );
        expect(ddl).toContain('"c_inPovertyRegistry"');
        // Stored by ID number: a plain scan gives that order.
        const scanned = (
          await sql<{ id_number: string }>`select id_number from ${sql.table(table)}`.execute(t.db)
        ).rows;
        expect(scanned.map((r) => r.id_number)).toEqual([...ids].sort());
        // Once: a second call changes nothing.
        await ensureListTable(t.db, def);
        expect(await rowsOf(t.db)).toEqual(before);
      } finally {
        await t.destroy();
      }
    },
  );
});
