import { type Kysely, sql } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { definitionError } from './load-register.ts';
import type { PropertyType, RegisterDefinition } from './register-schema.ts';
import { registersDb } from './tables.ts';

/**
 * Each register's own table, `register_<id>`: one row per record, the shared columns
 * (key, status, owner, current version …) and one typed column per declared property, so
 * reports filter and join on columns instead of parsing JSON. The table is generated from the
 * definition at start-up: created when missing, new properties added as columns when the
 * definition's version rises (recorded in `register_schemas`). Identifiers come from the
 * definition's strict id patterns and are quoted; nothing else reaches the DDL.
 */

export type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
export const anyDb = (db: Kysely<Database>): AnyDb => db as unknown as AnyDb;

export const tableOf = (def: Pick<RegisterDefinition, 'id'>): string => `register_${def.id}`;
/**
 * The register's applied versions with the same typed columns (`register_<id>_versions`): one row
 * per version that became current, with the day it is true from, so a report as of a date reads
 * the version in force on it from columns too.
 */
export const versionsTableOf = (def: Pick<RegisterDefinition, 'id'>): string => `register_${def.id}_versions`;

const SQL_TYPE: Readonly<Record<PropertyType, string>> = {
  text: 'text',
  integer: 'integer',
  number: 'double precision',
  money: 'double precision',
  date: 'text',
  boolean: 'integer',
  codes: 'text',
};

/** The shared columns' layout: 2 added current_submission, 3 the typed versions table. */
const CORE_LAYOUT = 3;

const indexName = (def: RegisterDefinition, column: string) => `rx_${def.id}_${column}`;

/** The typed versions table (created with all properties; `ensureRegisterTable` adds new ones). */
async function ensureVersionsTable(db: Kysely<Database>, def: RegisterDefinition): Promise<void> {
  const table = versionsTableOf(def);
  let create = db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('effective', 'text', (c) => c.notNull())
    .addColumn('submission_id', 'text');
  for (const p of def.properties) create = create.addColumn(p.id, sql.raw(SQL_TYPE[p.type]));
  await create.execute();
  await db.schema
    .createIndex(indexName(def, '_v_record'))
    .ifNotExists()
    .on(table)
    .columns(['record_id', 'seq'])
    .execute();
  await db.schema
    .createIndex(indexName(def, '_v_effective'))
    .ifNotExists()
    .on(table)
    .column('effective')
    .execute();
}

/** Creates or extends the register's table; idempotent, and cheap once the stored schema matches. */
export async function ensureRegisterTable(db: Kysely<Database>, def: RegisterDefinition): Promise<void> {
  const rdb = registersDb(db);
  const stored = await rdb
    .selectFrom('register_schemas')
    .selectAll()
    .where('register_id', '=', def.id)
    .executeTakeFirst();
  const columns = Object.fromEntries(def.properties.map((p) => [p.id, p.type]));
  // `$core` numbers the shared columns (no property id starts with `$`).
  const wanted = JSON.stringify({ $core: CORE_LAYOUT, ...columns });
  if (stored && stored.version === def.version && stored.columns === wanted) return;
  const table = tableOf(def);
  if (!stored) {
    let create = db.schema
      .createTable(table)
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('owner_org_code', 'text', (c) => c.notNull())
      .addColumn('owner_org_path', 'text', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('open_conflicts', 'integer', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('current_submission', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull());
    for (const p of def.properties) create = create.addColumn(p.id, sql.raw(SQL_TYPE[p.type]));
    await create.execute();
    await db.schema
      .createIndex(indexName(def, '_key'))
      .ifNotExists()
      .unique()
      .on(table)
      .column('key')
      .execute();
    await db.schema
      .createIndex(indexName(def, '_owner'))
      .ifNotExists()
      .on(table)
      .columns(['owner_org_path', 'id'])
      .execute();
  } else {
    const { $core, ...had } = JSON.parse(stored.columns) as Record<string, PropertyType> & { $core?: number };
    if ($core === undefined)
      await db.schema.alterTable(table).addColumn('current_submission', 'text').execute();
    for (const p of def.properties) {
      const before = had[p.id];
      if (before === undefined) {
        await db.schema.alterTable(table).addColumn(p.id, sql.raw(SQL_TYPE[p.type])).execute();
        if (($core ?? 0) >= 3)
          await db.schema
            .alterTable(versionsTableOf(def))
            .addColumn(p.id, sql.raw(SQL_TYPE[p.type]))
            .execute();
      } else if (SQL_TYPE[before] !== SQL_TYPE[p.type]) {
        throw definitionError([
          {
            pointer: `/properties/${def.properties.indexOf(p)}/type`,
            code: 'NX_ERR_REGISTERS_FIELD_TYPE',
            message: {
              'zh-CN': `属性“${p.id}”已存为 ${before}，不能改为 ${p.type}`,
              en: `Property "${p.id}" is stored as ${before}; it cannot become ${p.type}`,
            },
            hint: {
              'zh-CN': '另起一个属性编号，再重建登记簿',
              en: 'Give the new meaning a new property id, then rebuild the register',
            },
          },
        ]);
      }
    }
  }
  await ensureVersionsTable(db, def);
  // The roster and the timeline find a record by its current submission.
  await db.schema
    .createIndex(indexName(def, '_current'))
    .ifNotExists()
    .on(table)
    .column('current_submission')
    .execute();
  for (const p of def.properties) {
    if (!p.indexed) continue;
    await db.schema.createIndex(indexName(def, p.id)).ifNotExists().on(table).columns([p.id, 'id']).execute();
  }
  if (stored) {
    await rdb
      .updateTable('register_schemas')
      .set({ version: def.version, columns: wanted })
      .where('register_id', '=', def.id)
      .execute();
  } else {
    await rdb
      .insertInto('register_schemas')
      .values({ register_id: def.id, version: def.version, columns: wanted })
      .execute();
  }
}
