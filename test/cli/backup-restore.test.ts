import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFolderStore } from '../../engine/attachments/local-folder-store.ts';
import { importOrgUnits } from '../../engine/org/import.ts';
import { createDatabase } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import type { Database } from '../../engine/store/schema.ts';
import { TEST_ORG_UNITS } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { runMain } from './run-main.ts';

const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5000, 7)]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every row of every table, in a stable order: two databases with equal dumps hold the same data. */
function dump(file: string): Record<string, unknown[]> {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map((t) => [t.name, db.prepare(`select * from "${t.name}" order by 1, 2`).all()]),
    );
  } finally {
    db.close();
  }
}

async function addSubmissions(db: Kysely<Database>, from: number, n: number): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('submissions')
    .values(
      Array.from({ length: n }, (_, i) => ({
        id: `s${String(from + i).padStart(4, '0')}`,
        form_id: 'household-survey',
        form_version: 1,
        org_code: '511923102201',
        org_path: '/510000/511900/511923/511923102/511923102201/',
        status: 'submitted',
        data: JSON.stringify({ headName: `户主${from + i}`, householdSize: (i % 6) + 1 }),
        version: 1,
        period: null,
        created_by: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })),
    )
    .execute();
}

describe('nuanxin backup and restore (SQLite)', () => {
  let dir: string;
  let live: Kysely<Database>;
  const file = () => join(dir, 'live.db');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-backup-'));
    live = createDatabase(file());
    await migrateToLatest(live);
    await importOrgUnits(live, TEST_ORG_UNITS);
    await addSubmissions(live, 0, 120);
    // One photo in the store beside the database, known to it.
    const store = localFolderStore(join(dir, 'attachments'));
    mkdirSync(store.tempDir, { recursive: true });
    writeFileSync(join(store.tempDir, 'x.part'), PHOTO);
    await store.save(join(store.tempDir, 'x.part'), sha256(PHOTO), PHOTO.length);
    await live
      .insertInto('attachments')
      .values({
        id: sha256(PHOTO),
        type: 'image/jpeg',
        size: PHOTO.length,
        created_at: '2026-01-01T00:00:00Z',
      })
      .execute();
  });
  afterAll(async () => {
    await live?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a database a server holds open, the commits still in its WAL included', async () => {
    // The server's connection stays open; its latest commits are in the WAL, not yet in the file.
    expect(statSync(`${file()}-wal`).size).toBeGreaterThan(0);
    const r = await runMain(['backup', '--db', file(), '--out', join(dir, 'b1.db')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('integrity_check ok');
    expect(r.stdout).toContain('submissions: 120');
    expect(r.stdout).toContain('attachments: 1');
    expect(dump(join(dir, 'b1.db'))).toEqual(dump(file()));
    const copy = join(dir, 'b1.db.attachments', sha256(PHOTO).slice(0, 2), sha256(PHOTO));
    expect(readFileSync(copy).equals(PHOTO)).toBe(true);
  });

  it('restores the attachments beside the database, and refuses a backup whose attachment is damaged', async () => {
    const target = join(dir, 'elsewhere', 'r.db');
    const r = await runMain(['restore', join(dir, 'b1.db'), '--db', target]);
    expect(r.stderr).toBe('');
    const restored = join(dir, 'elsewhere', 'attachments', sha256(PHOTO).slice(0, 2), sha256(PHOTO));
    expect(readFileSync(restored).equals(PHOTO)).toBe(true);
    copyFileSync(join(dir, 'b1.db'), join(dir, 'b2.db'));
    const damaged = join(dir, 'b2.db.attachments', sha256(PHOTO).slice(0, 2));
    mkdirSync(damaged, { recursive: true });
    writeFileSync(join(damaged, sha256(PHOTO)), 'not the photo');
    const refused = await runMain(['restore', join(dir, 'b2.db'), '--db', join(dir, 'third', 'r.db')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('missing or damaged');
  });

  it('refuses to overwrite an existing backup file unless told', async () => {
    const r = await runMain(['backup', '--db', file(), '--out', join(dir, 'b1.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--force');
  });

  it('restores into an empty place, byte for byte the same data', async () => {
    const target = join(dir, 'restored.db');
    const r = await runMain(['restore', join(dir, 'b1.db'), '--db', target]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(dump(target)).toEqual(dump(file()));
  });

  it('refuses to replace a database that holds data unless told, then replaces it with --force', async () => {
    await addSubmissions(live, 1000, 5); // the live database moves on after the backup
    const refused = await runMain(['restore', join(dir, 'b1.db'), '--db', file()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(dump(file()).submissions).toHaveLength(125);

    await live.destroy(); // the servers are stopped before a forced restore
    const forced = await runMain(['restore', join(dir, 'b1.db'), '--db', file(), '--force']);
    expect(forced.code).toBe(0);
    expect(dump(file())).toEqual(dump(join(dir, 'b1.db')));
    live = createDatabase(file());
  });

  it('checks the backup first: a damaged file replaces nothing', async () => {
    const bad = join(dir, 'damaged.db');
    copyFileSync(join(dir, 'b1.db'), bad);
    // Scribble over the middle of the file, where the submissions' pages are.
    const fd = openSync(bad, 'r+');
    const size = statSync(bad).size;
    writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, Math.floor(size / 2 / 4096) * 4096 + 100);
    closeSync(fd);
    const before = dump(file());
    const r = await runMain(['restore', bad, '--db', file(), '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/integrity_check failed|not a SQLite database|malformed/);
    expect(dump(file())).toEqual(before);
  });
});

describe.each(dialects().filter((d) => d.name === 'postgres'))('nuanxin backup on $name', (dialect) => {
  it('says how to use pg_dump and pg_restore instead, and that nothing was written', async () => {
    const t = await dialect.open();
    try {
      const r = await runMain(['backup', '--db', t.url, '--out', '/tmp/never-written.dump']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('pg_dump --format=custom --file /tmp/never-written.dump');
      expect(r.stderr).toContain('pg_restore');
    } finally {
      await t.destroy();
    }
  });
});
