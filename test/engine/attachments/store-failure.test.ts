import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleAttachments } from '../../../engine/attachments/attachment-service.ts';
import type { AttachmentStore } from '../../../engine/attachments/attachment-store.ts';
import { s3Store } from '../../../engine/attachments/s3-store.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { pngBytes, sha256 } from './fixtures.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * A store that stops answering: an upload answers 503 NX_ERR_ATTACHMENT_STORE and leaves nothing
 * in the spool, a read answers 503 too (not a 500), and the store's own reason goes to the log.
 */
describe.each(dialects().filter((d) => d.name === 'sqlite'))(
  'an attachment store that fails, on $name',
  (dialect) => {
    let t: TestDatabase;
    let a: TestApp;
    let spool: string;
    let store: AttachmentStore;
    const logged: string[] = [];
    beforeAll(async () => {
      t = await dialect.open();
      spool = mkdtempSync(join(tmpdir(), 'nx-store-down-'));
      // Nothing listens on port 9: every request is refused.
      store = s3Store({
        endpoint: 'http://127.0.0.1:9',
        region: 'us-east-1',
        bucket: 'nuanxin-down',
        forcePathStyle: true,
        credentials: { accessKeyId: 'key-id', secretAccessKey: 'the-secret-never-logged' },
        tempDir: spool,
      });
      a = await testApp(t, {
        attachments: { store },
        logger: {
          level: 'error',
          stream: {
            write: (line: string) => {
              logged.push(line);
            },
          },
        },
      });
    });
    afterAll(async () => {
      await a?.close();
      await t?.destroy();
      rmSync(spool, { recursive: true, force: true });
    });

    it('answers 503 with a stable code for an upload and a read, keeps nothing, and logs the reason without the secret', async () => {
      const token = await a.token('pingchangStaff');
      const up = await a.app.inject({
        method: 'POST',
        url: '/api/attachments?name=a.png',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
        payload: pngBytes(20_000, 1),
      });
      expect(up.statusCode).toBe(503);
      expect(up.json()).toMatchObject({ code: 'NX_ERR_ATTACHMENT_STORE' });
      expect(readdirSync(spool)).toEqual([]);
      expect(await t.db.selectFrom('attachments').select('id').execute()).toEqual([]);
      // A file the database knows (stored when the store answered) cannot be read now.
      const id = sha256(pngBytes(100, 2));
      await t.db
        .insertInto('attachments')
        .values({ id, type: 'image/png', size: 100, created_at: '2026-01-01' })
        .execute();
      await t.db
        .insertInto('attachment_uploads')
        .values({
          attachment_id: id,
          username: 'pingchangStaff',
          org_path: '/x/',
          name: 'b.png',
          created_at: '2026-01-01',
        })
        .execute();
      const read = await a.app.inject({
        method: 'GET',
        url: `/api/attachments/${id}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.statusCode).toBe(503);
      expect(read.json()).toMatchObject({ code: 'NX_ERR_ATTACHMENT_STORE' });
      const failures = logged.filter((l) => l.includes('attachment store failed'));
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatch(/ECONNREFUSED/);
      expect(logged.join('')).not.toContain('the-secret-never-logged');
    });

    it('the removal of stale contents tries each, then fails naming what stayed', async () => {
      const err = await removeStaleAttachments(t.db, store, '2026-06-01').catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/1 of 1 stale contents could not be removed/);
      expect((err as Error).message).not.toContain('the-secret-never-logged');
    });
  },
);
