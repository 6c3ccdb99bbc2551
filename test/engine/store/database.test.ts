import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, parseDatabaseUrl, resolveSynchronous } from '../../../engine/store/database.ts';
import { dialectOf, isUniqueViolation, jsonFieldText } from '../../../engine/store/dialect.ts';
import { migrateToLatest } from '../../../engine/store/migrate.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

describe('parseDatabaseUrl', () => {
  it('treats postgres URLs as PostgreSQL and everything else as a SQLite file', () => {
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({ dialect: 'postgres', url: 'postgres://u@h/db' });
    expect(parseDatabaseUrl('postgresql://u@h/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('sqlite:./x.db')).toEqual({ dialect: 'sqlite', file: './x.db' });
    expect(parseDatabaseUrl('/tmp/a.db')).toEqual({ dialect: 'sqlite', file: '/tmp/a.db' });
    expect(parseDatabaseUrl(':memory:')).toEqual({ dialect: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl()).toEqual({ dialect: 'sqlite', file: './data/nuanxin.db' });
  });
});

describe.each(dialects())('store on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('knows its dialect', () => {
    expect(dialectOf(t.db)).toBe(dialect.name);
  });

  it('migrations are idempotent: a second run applies nothing', async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it('filters on a JSON field value the same way on both dialects', async () => {
    const base = {
      form_id: 'f',
      form_version: 1,
      org_code: '510000',
      org_path: '/510000/',
      status: 'draft',
      version: 1,
      period: null,
      created_by: null,
      created_at: '2024-01-01T00:00:00.000Z',
      updated_at: '2024-01-01T00:00:00.000Z',
      deleted_at: null,
    };
    await t.db
      .insertInto('org_units')
      .values({ code: '510000', name: '四川省', parent_code: null, level: 'province', path: '/510000/' })
      .execute();
    await t.db
      .insertInto('submissions')
      .values([
        { ...base, id: 'a', data: JSON.stringify({ name: '张三', size: 3 }) },
        { ...base, id: 'b', data: JSON.stringify({ name: '李四', size: 5 }) },
      ])
      .execute();
    const byName = await t.db
      .selectFrom('submissions')
      .select('id')
      .where(jsonFieldText(t.db, sql.ref('data'), 'name'), '=', '李四')
      .execute();
    expect(byName.map((r) => r.id)).toEqual(['b']);
    const bySize = await t.db
      .selectFrom('submissions')
      .select('id')
      .where(jsonFieldText(t.db, sql.ref('data'), 'size'), '=', '3')
      .execute();
    expect(bySize.map((r) => r.id)).toEqual(['a']);
  });

  it('reports a duplicate primary key as a unique violation', async () => {
    const row = {
      code: '510100',
      name: '成都市',
      parent_code: '510000',
      level: 'city',
      path: '/510000/510100/',
    };
    await t.db.insertInto('org_units').values(row).execute();
    const err = await t.db
      .insertInto('org_units')
      .values(row)
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await t.db
      .insertInto('audit_log')
      .values({
        at: 'now',
        actor: 'x',
        action: 'a',
        entity_type: 'e',
        entity_id: '1',
        org_path: null,
        diff: '{}',
      })
      .execute();
    await expect(t.db.updateTable('audit_log').set({ action: 'changed' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    const rows = await t.db.selectFrom('audit_log').select('action').execute();
    expect(rows.map((r) => r.action)).toEqual(['a']);
  });

  it('enforces foreign keys', async () => {
    const err = await t.db
      .insertInto('org_units')
      .values({ code: '999999', name: 'x', parent_code: '888888', level: 'city', path: '/888888/999999/' })
      .execute()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });
});

describe('SQLite durability level (synchronous)', () => {
  const level = async (opts: { synchronous?: string } = {}) => {
    const db = createDatabase(':memory:', opts);
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
      return rows[0]?.synchronous;
    } finally {
      await db.destroy();
    }
  };

  it('is FULL unless told otherwise, so an acknowledged write survives a power loss', async () => {
    const saved = process.env.NUANXIN_SQLITE_SYNCHRONOUS;
    delete process.env.NUANXIN_SQLITE_SYNCHRONOUS;
    try {
      expect(await level()).toBe(2); // SQLite's number for FULL
    } finally {
      if (saved !== undefined) process.env.NUANXIN_SQLITE_SYNCHRONOUS = saved;
    }
  });

  it('takes NORMAL or OFF from the option or NUANXIN_SQLITE_SYNCHRONOUS', async () => {
    expect(await level({ synchronous: 'normal' })).toBe(1);
    expect(await level({ synchronous: 'OFF' })).toBe(0);
    const saved = process.env.NUANXIN_SQLITE_SYNCHRONOUS;
    process.env.NUANXIN_SQLITE_SYNCHRONOUS = 'NORMAL';
    try {
      expect(await level()).toBe(1);
      expect(await level({ synchronous: 'FULL' })).toBe(2); // the option wins over the environment
    } finally {
      if (saved === undefined) delete process.env.NUANXIN_SQLITE_SYNCHRONOUS;
      else process.env.NUANXIN_SQLITE_SYNCHRONOUS = saved;
    }
  });

  it('refuses an unknown level with a code and both languages', () => {
    expect(() => resolveSynchronous('fast')).toThrow(
      expect.objectContaining({
        code: 'NX_ERR_STORE_BAD_SETTING',
        messageText: expect.objectContaining({ en: expect.stringContaining('FULL, NORMAL or OFF') }),
      }),
    );
  });
});
