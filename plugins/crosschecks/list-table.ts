import { type Kysely, sql } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import type { ColumnType, ListDefinition } from './list-schema.ts';
import { listTableOf } from './load-list.ts';

/**
 * Each list's own table, `list_<id>`: one row per delivered row, keyed by delivery and row
 * number, with the normalised ID number (indexed: the comparison joins on it), the area code and
 * one typed column per list column, so a comparison is a SQL join on columns, never a JSON scan.
 * Created when missing; columns a raised version adds are added. Identifiers come from the
 * definition's strict id patterns and are quoted; nothing else reaches the DDL.
 */

export type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
export const anyDb = (db: Kysely<Database>): AnyDb => db as unknown as AnyDb;

export const SQL_TYPE: Readonly<Record<ColumnType, string>> = {
  text: 'text',
  idcard: 'text',
  select: 'text',
  orgunit: 'text',
  date: 'text',
  integer: 'integer',
  number: 'double precision',
  money: 'double precision',
  boolean: 'integer',
};

/** The SQL column of a list column: prefixed so that no list column meets a shared one. */
export const colName = (id: string): string => `c_${id}`;

export async function ensureListTable(db: Kysely<Database>, def: ListDefinition): Promise<void> {
  const table = listTableOf(def);
  const existing = (await db.introspection.getTables()).find((t) => t.name === table);
  if (!existing) {
    let create = db.schema
      .createTable(table)
      .ifNotExists()
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('row_no', 'integer', (c) => c.notNull())
      .addColumn('id_number', 'text', (c) => c.notNull())
      .addColumn('area_code', 'text')
      .addPrimaryKeyConstraint(`${table}_pk`, ['delivery_id', 'row_no']);
    for (const c of def.columns) create = create.addColumn(colName(c.id), sql.raw(SQL_TYPE[c.type]));
    await create.execute();
    await db.schema.createIndex(`${table}_id_number`).ifNotExists().on(table).column('id_number').execute();
  } else {
    const have = new Set(existing.columns.map((c) => c.name));
    for (const c of def.columns) {
      if (!have.has(colName(c.id)))
        await db.schema.alterTable(table).addColumn(colName(c.id), sql.raw(SQL_TYPE[c.type])).execute();
    }
  }
  // A run reads a delivery's rows in ID-number order, keyset-paged (comparison-read.ts).
  await db.schema
    .createIndex(`${table}_delivery_subject`)
    .ifNotExists()
    .on(table)
    .columns(['delivery_id', 'id_number', 'row_no'])
    .execute();
}
