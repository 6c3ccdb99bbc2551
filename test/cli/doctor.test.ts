import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import { dialects } from '../helpers/dialects.ts';
import { runMain } from './run-main.ts';

/** A plugin configuration naming no plugin: only the core tables are expected. */
const NO_PLUGINS = join(mkdtempSync(join(tmpdir(), 'nuanxin-doctor-config-')), 'nuanxin.config.json');
writeFileSync(NO_PLUGINS, '{ "plugins": [] }\n');

interface Finding {
  check: string;
  level: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

async function doctor(db: string, env: Record<string, string | undefined> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const r = await runMain(['doctor', '--db', db, '--json', '--config', NO_PLUGINS]);
    const findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
    return { code: r.code, of: (check: string) => findings.find((f) => f.check === check), findings };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('nuanxin doctor on SQLite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-doctor-'));
    const db = createDatabase(join(dir, 'good.db'));
    await migrateToLatest(db);
    await db.destroy();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing wrong with a sound, migrated database (exit 0)', async () => {
    const r = await doctor(join(dir, 'good.db'), { NUANXIN_SQLITE_SYNCHRONOUS: undefined });
    expect(r.findings.filter((f) => f.level !== 'ok' && f.check !== 'disk')).toEqual([]);
    expect(r.of('integrity')?.detail).toContain('ok');
    expect(r.of('journal_mode')?.detail).toBe('journal_mode=wal');
    expect(r.of('synchronous')?.detail).toContain('FULL');
    expect(r.of('migrations')?.detail).toBe('none pending');
    expect(r.of('writable')?.level).toBe('ok');
    expect(r.of('disk')?.detail).toMatch(/GiB free/);
  });

  it('warns of pending migrations and names them', async () => {
    const fresh = new SqliteDatabase(join(dir, 'fresh.db'));
    fresh.exec('create table placeholder (x)');
    fresh.close();
    const r = await doctor(join(dir, 'fresh.db'));
    expect(r.of('migrations')?.level).toBe('warn');
    expect(r.of('migrations')?.detail).toContain('001_core');
    expect(r.of('migrations')?.fix).toContain('nuanxin migrate');
  });

  it('says what synchronous promises when it is lowered, and fails on OFF', async () => {
    const normal = await doctor(join(dir, 'good.db'), { NUANXIN_SQLITE_SYNCHRONOUS: 'NORMAL' });
    expect(normal.of('synchronous')?.level).toBe('warn');
    expect(normal.of('synchronous')?.fix).toContain('power loss');
    const off = await doctor(join(dir, 'good.db'), { NUANXIN_SQLITE_SYNCHRONOUS: 'OFF' });
    expect(off.of('synchronous')?.level).toBe('fail');
    expect(off.code).toBe(1);
  });

  it('fails on a damaged index and says to restore a backup (exit 1)', async () => {
    const file = join(dir, 'damaged.db');
    const db = createDatabase(file);
    await migrateToLatest(db);
    await db.destroy();
    const raw = new SqliteDatabase(file);
    raw.pragma('journal_mode = DELETE'); // everything in the main file, so the bytes below are the index
    raw.exec("insert into org_units values ('510000', '四川省', null, 'province', '/510000/')");
    const insert = raw.prepare("insert into org_units values (?, ?, '510000', 'city', ?)");
    for (let i = 0; i < 40; i++)
      insert.run(`52${String(i).padStart(4, '0')}`, `市${i}`, `/510000/52${String(i).padStart(4, '0')}/`);
    const { rootpage } = raw
      .prepare("select rootpage from sqlite_master where name = 'org_units_parent'")
      .get() as {
      rootpage: number;
    };
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    // Scribble over the index's cells (at the end of its page): its keys no longer match the rows.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(600, 0x7a), 0, 600, rootpage * pageSize - 600);
    closeSync(fd);
    const r = await doctor(file);
    expect(r.of('integrity')?.level).toBe('fail');
    expect(r.of('integrity')?.fix).toContain('nuanxin restore');
    expect(r.code).toBe(1);
  });

  it('fails when the database file is missing', async () => {
    const r = await doctor(join(dir, 'nowhere.db'));
    expect(r.of('database')?.level).toBe('fail');
    expect(r.code).toBe(1);
  });
});

describe.each(dialects().filter((d) => d.name === 'postgres'))('nuanxin doctor on $name', (dialect) => {
  it('checks the server, the migrations and that it takes writes', async () => {
    const t = await dialect.open();
    try {
      const r = await doctor(t.url);
      expect(r.of('server')?.level).toBe('ok');
      expect(r.of('migrations')?.detail).toBe('none pending');
      expect(r.of('writable')?.level).toBe('ok');
      expect(r.code).toBe(0);
    } finally {
      await t.destroy();
    }
  });
});
