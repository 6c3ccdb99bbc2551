import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../../engine/plugin/engine-version.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { migratePlugins } from '../../../engine/plugin/migrate-plugins.ts';
import type { Database } from '../../../engine/store/schema.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const fixture = (dialect: string) => join(ROOT, 'test/fixtures/snapshots', `schema-${dialect}.json`);

type Rows = Record<string, unknown>[];
const rows = async (db: Kysely<Database>, query: ReturnType<typeof sql>): Promise<Rows> =>
  (await query.execute(db)).rows as Rows;

/** SQLite: columns, indexes (with their columns), foreign keys, triggers, and each table's statement. */
async function sqliteSchema(db: Kysely<Database>): Promise<Record<string, unknown>> {
  const objects = await rows(
    db,
    sql`select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`,
  );
  const out: Record<string, unknown> = {};
  for (const o of objects) {
    const name = String(o.name);
    if (o.type === 'table') {
      const indexes = await rows(
        db,
        sql`select name, "unique", origin, partial from pragma_index_list(${name})`,
      );
      const withColumns = [];
      for (const i of indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))) {
        const cols = await rows(
          db,
          sql`select name from pragma_index_info(${String(i.name)}) order by seqno`,
        );
        withColumns.push({ ...i, columns: cols.map((c) => c.name) });
      }
      out[`table ${name}`] = {
        columns: await rows(
          db,
          sql`select cid, name, type, "notnull", dflt_value, pk from pragma_table_info(${name})`,
        ),
        indexes: withColumns,
        foreignKeys: await rows(db, sql`select * from pragma_foreign_key_list(${name})`),
        // The statement itself too: constraint names and checks live only there.
        sql: o.sql,
      };
    } else if (o.type === 'trigger') {
      out[`trigger ${name}`] = o.sql;
    } else if (o.type === 'index') {
      out[`index ${name}`] = { table: o.tbl_name, sql: o.sql };
    }
  }
  return out;
}

/** PostgreSQL: columns, constraints, indexes, triggers and functions of the public schema. */
async function postgresSchema(db: Kysely<Database>): Promise<Record<string, unknown>> {
  return {
    columns: await rows(
      db,
      sql`select table_name, ordinal_position, column_name, data_type, is_nullable, column_default
          from information_schema.columns where table_schema = 'public'
          order by table_name, ordinal_position`,
    ),
    constraints: await rows(
      db,
      sql`select c.conrelid::regclass::text as table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) as def
          from pg_constraint c join pg_namespace n on n.oid = c.connamespace
          where n.nspname = 'public' order by 1, 2`,
    ),
    indexes: await rows(
      db,
      sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`,
    ),
    triggers: await rows(
      db,
      sql`select tgrelid::regclass::text as table_name, tgname, pg_get_triggerdef(t.oid) as def
          from pg_trigger t where not tgisinternal order by 1, 2`,
    ),
    functions: await rows(
      db,
      sql`select p.proname, pg_get_functiondef(p.oid) as def
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' order by 1`,
    ),
  };
}

/**
 * The schema a fresh database gets from the core migrations and the shipped plugins' migrations.
 * Databases migrated long ago ran the same migrations, so a change to how a migration declares its
 * tables must leave this unchanged: it is compared with a snapshot taken before such changes.
 */
describe.each(dialects())('schema of a fresh database ($name)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
    const config = JSON.parse(readFileSync(join(ROOT, 'nuanxin.config.json'), 'utf8')) as {
      plugins: unknown[];
    };
    const plugins = await loadPlugins(config, {
      engineVersion: ENGINE_VERSION,
      builtins: builtinPlugins,
      baseDir: ROOT,
      file: 'nuanxin.config.json',
    });
    await migratePlugins(t.db, plugins);
  });
  afterAll(async () => t?.destroy());

  it('matches the snapshot: columns, types, nullability, defaults, indexes, constraints, triggers', async () => {
    const now = t.dialect === 'sqlite' ? await sqliteSchema(t.db) : await postgresSchema(t.db);
    const file = fixture(t.dialect);
    // Taking a new snapshot is a decision, made on purpose: NUANXIN_WRITE_SNAPSHOTS=1.
    if (process.env.NUANXIN_WRITE_SNAPSHOTS === '1') writeFileSync(file, `${JSON.stringify(now, null, 2)}\n`);
    const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(now).length).toBeGreaterThan(10_000);
    expect(now).toEqual(before);
  });
});
