import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentStore } from '../../engine/attachments/attachment-store.ts';
import { localFolderStore } from '../../engine/attachments/local-folder-store.ts';
import { createDatabase } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import type { Database } from '../../engine/store/schema.ts';
import { type LocalS3, startLocalS3 } from '../engine/attachments/s3-server.ts';
import { runMain } from './run-main.ts';

const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5000, 9)]);
const ID = createHash('sha256').update(PHOTO).digest('hex');

async function put(store: AttachmentStore, bytes: Buffer, id: string) {
  mkdirSync(store.tempDir, { recursive: true });
  const f = join(store.tempDir, 'x.part');
  writeFileSync(f, bytes);
  await store.save(f, id, bytes.length);
}

/** backup, restore and doctor with the attachments in an S3-compatible bucket (s3rver). */
describe('nuanxin backup, restore and doctor with an S3 store', () => {
  let dir: string;
  let s3: LocalS3;
  let live: Kysely<Database>;
  let config: string;
  const bucket = () => s3.store({ prefix: 'att/' });
  const env = { NUANXIN_S3_ACCESS_KEY_ID: 'S3RVER', NUANXIN_S3_SECRET_ACCESS_KEY: 'S3RVER' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-backup-s3-'));
    s3 = await startLocalS3(['nuanxin-backup']);
    config = join(dir, 'nuanxin.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: [],
        attachments: {
          store: 's3',
          s3: { endpoint: s3.endpoint, bucket: 'nuanxin-backup', prefix: 'att/', forcePathStyle: true },
        },
      }),
    );
    Object.assign(process.env, env);
    live = createDatabase(join(dir, 'live.db'));
    await migrateToLatest(live);
    await live
      .insertInto('attachments')
      .values({ id: ID, type: 'image/jpeg', size: PHOTO.length, created_at: '2026-01-01T00:00:00Z' })
      .execute();
    await put(bucket(), PHOTO, ID);
  });
  afterAll(async () => {
    for (const k of Object.keys(env)) delete process.env[k];
    await live?.destroy();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backup copies the database, checks each attachment is in the bucket and says the bucket is backed up by the store', async () => {
    const r = await runMain([
      'backup',
      '--db',
      join(dir, 'live.db'),
      '--out',
      join(dir, 'b.db'),
      '--config',
      config,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `attachments: 1 not copied, they stay in s3://nuanxin-backup/att/ at ${s3.endpoint}`,
    );
    expect(r.stdout).toContain('versioning or replication');
    expect(existsSync(join(dir, 'b.db.attachments'))).toBe(false);
    expect(r.stdout + r.stderr).not.toContain('S3RVER');
  });

  it('backup fails (exit 1) when an attachment the database knows is missing in the bucket', async () => {
    await bucket().remove(ID);
    const r = await runMain([
      'backup',
      '--db',
      join(dir, 'live.db'),
      '--out',
      join(dir, 'b.db'),
      '--force',
      '--config',
      config,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`missing in the bucket: 1 (${ID})`);
  });

  it('restore fills the bucket from a backup taken with a local folder (moving a deployment to S3)', async () => {
    // A backup of a local deployment: the database and its attachments beside it.
    const localDir = join(dir, 'local');
    mkdirSync(localDir);
    await put(localFolderStore(join(localDir, 'attachments')), PHOTO, ID);
    const localConfig = join(localDir, 'nuanxin.config.json');
    writeFileSync(
      localConfig,
      JSON.stringify({ plugins: [], attachments: { dir: join(localDir, 'attachments') } }),
    );
    const fromLocal = await runMain([
      'backup',
      '--db',
      join(dir, 'live.db'),
      '--out',
      join(localDir, 'l.db'),
      '--config',
      localConfig,
    ]);
    expect(fromLocal.stderr).toBe('');
    expect(fromLocal.stdout).toContain(`attachments: 1 → ${join(localDir, 'l.db.attachments')}`);
    expect(await bucket().has(ID)).toBe(false);
    const r = await runMain([
      'restore',
      join(localDir, 'l.db'),
      '--db',
      join(dir, 'restored.db'),
      '--config',
      config,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await bucket().has(ID)).toBe(true);
    const back = await bucket().open(ID);
    const chunks: Buffer[] = [];
    for await (const c of back ?? []) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(PHOTO)).toBe(true);
  });

  it('doctor names the store and whether it answers, never the secret', async () => {
    const ok = await runMain(['doctor', '--db', join(dir, 'live.db'), '--json', '--config', config]);
    const found = (JSON.parse(ok.stdout) as { findings: { check: string; level: string; detail: string }[] })
      .findings;
    expect(found.find((f) => f.check === 'attachments')).toEqual({
      check: 'attachments',
      level: 'ok',
      detail: `s3 store s3://nuanxin-backup/att/ at ${s3.endpoint}: reachable`,
    });
    writeFileSync(
      join(dir, 'wrong.json'),
      JSON.stringify({
        plugins: [],
        attachments: {
          store: 's3',
          s3: { endpoint: s3.endpoint, bucket: 'no-such-bucket', forcePathStyle: true },
        },
      }),
    );
    const bad = await runMain([
      'doctor',
      '--db',
      join(dir, 'live.db'),
      '--json',
      '--config',
      join(dir, 'wrong.json'),
    ]);
    expect(bad.code).toBe(1);
    const f = (
      JSON.parse(bad.stdout) as { findings: { check: string; level: string; detail: string }[] }
    ).findings.find((x) => x.check === 'attachments');
    expect(f?.level).toBe('fail');
    expect(f?.detail).toContain('NoSuchBucket');
    expect(bad.stdout).not.toContain('S3RVER');
  });
});
