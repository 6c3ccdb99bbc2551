import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';

/**
 * Tables as data. A migration's tables are declared in a JSON file beside it, and
 * `createTables` turns the declaration into the DDL of the dialect at hand (SQLite or
 * PostgreSQL) through Kysely's schema builder:
 *
 * ```json
 * { "crosscheck_referral_items": {
 *     "columns": { "id": "text primary key", "seq": "integer not null", "note": "text" },
 *     "indexes": { "crosscheck_referral_items_referral": ["referral_id", "seq"] } } }
 * ```
 *
 * A column is its type (`text`, `integer`, `bigint`, `double precision`; `serial`: an auto-numbered primary key,
 * `bigserial` on PostgreSQL) then any of `primary key`, `not null`, `unique`, `default <number>`,
 * `references <table>.<column>`, `on delete cascade`. A table may add one `primaryKey` over
 * several columns and `unique` constraints, both by name; `indexes` and `uniqueIndexes` map an
 * index name to its columns. Partial indexes and triggers stay SQL in the migration.
 */
export interface TableDeclaration {
  readonly columns: Readonly<Record<string, string>>;
  readonly primaryKey?: Readonly<Record<string, readonly string[]>>;
  readonly unique?: Readonly<Record<string, readonly string[]>>;
  readonly indexes?: Readonly<Record<string, readonly string[]>>;
  readonly uniqueIndexes?: Readonly<Record<string, readonly string[]>>;
}

/** A migration's tables, by name, created in the order written. */
export type TableDeclarations = Readonly<Record<string, TableDeclaration>>;

type Modify = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/** The type and the modifiers of one column declaration; an unknown word is a mistake in the file. */
function parseColumn(table: string, column: string, declared: string, pg: boolean): [string, Modify] {
  const [, type = '', words = ''] = /^(double precision|\S+)\s*(.*)$/.exec(declared.trim()) ?? [];
  const serial = type === 'serial';
  if (!serial && !['text', 'integer', 'bigint', 'double precision'].includes(type))
    throw new TypeError(`${table}.${column}: unknown column type "${type}"`);
  const steps: Modify[] = [];
  if (serial) steps.push(pg ? (c) => c.primaryKey() : (c) => c.primaryKey().autoIncrement());
  const known = words.replace(
    /primary key|not null|unique|default (-?\d+)|references ([a-z0-9_]+\.[a-z0-9_]+)|on delete cascade/g,
    (word, value?: string, target?: string) => {
      if (word === 'primary key') steps.push((c) => c.primaryKey());
      else if (word === 'not null') steps.push((c) => c.notNull());
      else if (word === 'unique') steps.push((c) => c.unique());
      else if (word === 'on delete cascade') steps.push((c) => c.onDelete('cascade'));
      else if (value !== undefined) steps.push((c) => c.defaultTo(Number(value)));
      else if (target !== undefined) steps.push((c) => c.references(target));
      return '';
    },
  );
  if (known.trim() !== '') throw new TypeError(`${table}.${column}: cannot read "${known.trim()}"`);
  const sqlType = serial ? (pg ? 'bigserial' : 'integer') : type;
  return [sqlType, (c) => steps.reduce((b, step) => step(b), c)];
}

/** Creates the declared tables (each with its constraints, then its indexes), in the order written. */
export async function createTables<DB>(db: Kysely<DB>, tables: TableDeclarations): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  for (const [name, t] of Object.entries(tables)) {
    let create = db.schema.createTable(name);
    for (const [column, declared] of Object.entries(t.columns)) {
      const [type, modify] = parseColumn(name, column, declared, pg);
      create = create.addColumn(column, type as 'text', modify);
    }
    for (const [key, columns] of Object.entries(t.primaryKey ?? {}))
      create = create.addPrimaryKeyConstraint(key, [...columns] as never[]);
    for (const [key, columns] of Object.entries(t.unique ?? {}))
      create = create.addUniqueConstraint(key, [...columns] as never[]);
    await create.execute();
    for (const [index, columns] of Object.entries(t.indexes ?? {}))
      await db.schema
        .createIndex(index)
        .on(name)
        .columns([...columns])
        .execute();
    for (const [index, columns] of Object.entries(t.uniqueIndexes ?? {}))
      await db.schema
        .createIndex(index)
        .unique()
        .on(name)
        .columns([...columns])
        .execute();
  }
}

/** Drops the declared tables, last first (their indexes go with them). */
export async function dropTables<DB>(db: Kysely<DB>, tables: TableDeclarations): Promise<void> {
  for (const name of Object.keys(tables).reverse()) await db.schema.dropTable(name).execute();
}
