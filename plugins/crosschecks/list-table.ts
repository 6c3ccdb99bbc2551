import { type Kysely, sql } from 'kysely';
import { type Database, dialectOf } from '../../engine/entry/server.ts';
import { type ColumnType, LIST_CORE_COLUMNS, type ListDefinition } from './list-schema.ts';
import { listTableOf } from './load-list.ts';

/**
 * Each list's own table, `list_<id>`: one row per delivered row, with the delivery, the row
 * number, the normalised ID number (the comparison joins on it), the area code and one typed
 * column per list column, so a comparison is a SQL join on columns, never a JSON scan. A run
 * reads a delivery's rows in ID-number order (`comparison-read.ts`): on SQLite the table is
 * stored in that order, elsewhere it has an index in it (`createListTable`). Created when
 * missing; columns a raised version adds are added; a SQLite table of the earlier layout is
 * rebuilt once. Identifiers come from the definition's strict id patterns and are quoted;
 * nothing else reaches the DDL.
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
  const sqlite = dialectOf(db) === 'sqlite';
  const existing = (await db.introspection.getTables()).find((t) => t.name === table);
  if (!existing) {
    await createListTable(db, table, sqlite, [
      ...def.columns.map((c) => ({ name: colName(c.id), type: SQL_TYPE[c.type] })),
    ]);
  } else {
    const have = new Set(existing.columns.map((c) => c.name));
    for (const c of def.columns) {
      if (!have.has(colName(c.id)))
        await db.schema.alterTable(table).addColumn(colName(c.id), sql.raw(SQL_TYPE[c.type])).execute();
    }
    if (sqlite && !(await clustered(db, table))) await clusterByPerson(db, table);
  }
  if (!sqlite) {
    // A run reads a delivery's rows in ID-number order, keyset-paged (comparison-read.ts).
    await db.schema
      .createIndex(`${table}_delivery_subject`)
      .ifNotExists()
      .on(table)
      .columns(['delivery_id', 'id_number', 'row_no'])
      .execute();
  }
}

interface Column {
  readonly name: string;
  readonly type: string;
}

/**
 * The table with the core columns and `columns`. On SQLite its rows are stored in the order a
 * comparison reads them, a delivery's rows by ID number (`without rowid`, keyed by delivery, ID
 * number and row): the run walks the table itself instead of an index and a look-up of each row
 * elsewhere in the file (at a million rows, 2.5 s of the 4.8 s the walk took). PostgreSQL keeps
 * the key (delivery, row) and an index in that order.
 */
async function createListTable(
  db: Kysely<Database>,
  table: string,
  sqlite: boolean,
  columns: readonly Column[],
  /** The list's table name (the key constraint's is made of it), when `table` is a stand-in. */
  named = table,
) {
  let create = db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('id_number', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text');
  for (const c of columns) create = create.addColumn(c.name, sql.raw(c.type));
  create = sqlite
    ? create
        .addPrimaryKeyConstraint(`${named}_pk`, ['delivery_id', 'id_number', 'row_no'])
        .modifyEnd(sql`without rowid`)
    : create.addPrimaryKeyConstraint(`${named}_pk`, ['delivery_id', 'row_no']);
  await create.execute();
}

/** Whether a SQLite list table is stored in ID-number order (created since that layout). */
async function clustered(db: Kysely<Database>, table: string): Promise<boolean> {
  const r = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return /without\s+rowid\s*$/i.test(r.rows[0]?.sql ?? '');
}

/**
 * Rebuilds a SQLite list table of the earlier layout (rows by row number, an index by ID number)
 * in ID-number order, keeping every column and row: a new table, the rows copied in key order,
 * the old one dropped (with its indexes: the key is the order a run reads) and the new one
 * renamed, in one transaction.
 */
async function clusterByPerson(db: Kysely<Database>, table: string): Promise<void> {
  const next = `${table}__clustered`;
  const rebuild = async (trx: Kysely<Database>) => {
    const info = await sql<{
      name: string;
      type: string;
    }>`select name, type from pragma_table_info(${table})`.execute(trx);
    const core = new Set<string>(LIST_CORE_COLUMNS);
    const rest = info.rows
      .filter((c) => !core.has(c.name))
      .map((c) => ({ name: c.name, type: c.type || 'text' }));
    await sql`drop table if exists ${sql.table(next)}`.execute(trx);
    await createListTable(trx, next, true, rest, table);
    const cols = sql.join(info.rows.map((c) => sql.id(c.name)));
    await sql`insert into ${sql.table(next)} (${cols}) select ${cols} from ${sql.table(table)}
      order by delivery_id, id_number, row_no`.execute(trx);
    await sql`drop table ${sql.table(table)}`.execute(trx);
    await sql`alter table ${sql.table(next)} rename to ${sql.table(table)}`.execute(trx);
  };
  if (db.isTransaction) await rebuild(db);
  else await db.transaction().execute(rebuild);
}
