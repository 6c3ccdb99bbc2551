import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../../engine/store/statement-cache.ts';

interface Db {
  t: { n: number };
}

/** A Kysely store over an in-memory SQLite whose `prepare` calls are counted. */
function open(size?: number) {
  const raw = new SqliteDatabase(':memory:');
  let prepared = 0;
  const prepare = raw.prepare.bind(raw);
  raw.prepare = ((text: string) => {
    prepared++;
    return prepare(text);
  }) as typeof raw.prepare;
  const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(raw, size) }) });
  return { db, raw, prepared: () => prepared };
}

describe('withStatementCache', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('prepares a query once however often it runs, with new parameters each time', async () => {
    const s = open();
    close = () => s.db.destroy();
    await sql`CREATE TABLE t (n INTEGER)`.execute(s.db);
    const before = s.prepared();
    for (let i = 0; i < 50; i++) await s.db.insertInto('t').values({ n: i }).execute();
    const rows = await s.db.selectFrom('t').select('n').where('n', '>=', 45).orderBy('n').execute();
    expect(rows.map((r) => r.n)).toEqual([45, 46, 47, 48, 49]);
    expect(s.prepared() - before).toBe(2);
  });

  it('gives a second statement for the same SQL while the first is still streaming', async () => {
    const s = open();
    close = () => s.db.destroy();
    await sql`CREATE TABLE t (n INTEGER)`.execute(s.db);
    for (let i = 0; i < 5; i++) await s.db.insertInto('t').values({ n: i }).execute();
    const q = () => s.db.selectFrom('t').select('n').orderBy('n');
    const seen: number[][] = [];
    // The single connection is held by the stream, so the inner query runs on the raw handle
    // through the same cache, as a plugin's query inside an iteration would.
    const cache = withStatementCache(s.raw);
    const text = q().compile().sql;
    const outer = cache.prepare(text);
    for (const row of outer.iterate([]) as Iterable<{ n: number }>) {
      const inner = cache.prepare(text);
      expect(inner).not.toBe(outer);
      seen.push([row.n, (inner.all([]) as { n: number }[]).length]);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4].map((n) => [n, 5]));
    // Read to its end, the cached statement is handed out again.
    expect(cache.prepare(text)).toBe(outer);
    expect((await q().execute()).length).toBe(5);
  });

  it('keeps only the most recently used statements', async () => {
    const s = open(3);
    close = () => s.db.destroy();
    await sql`CREATE TABLE t (n INTEGER)`.execute(s.db);
    const distinct = (k: number) => s.db.selectFrom('t').select(sql<number>`${sql.lit(k)}`.as('k'));
    for (const k of [1, 2, 3]) await distinct(k).execute();
    const before = s.prepared();
    await distinct(1).execute(); // still cached: the least recently used is now 2
    await distinct(4).execute(); // evicts 2
    await distinct(3).execute(); // still cached
    await distinct(2).execute(); // prepared again
    expect(s.prepared() - before).toBe(2);
  });

  it('closes the database', () => {
    const raw = new SqliteDatabase(':memory:');
    withStatementCache(raw).close();
    expect(raw.open).toBe(false);
  });
});
