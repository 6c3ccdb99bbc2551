import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleAttachments } from '../../../engine/attachments/attachment-service.ts';
import type { AttachmentStore } from '../../../engine/attachments/attachment-store.ts';
import { localFolderStore } from '../../../engine/attachments/local-folder-store.ts';
import type { FormDefinition } from '../../../engine/definition/form-schema.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdForm } from '../../helpers/forms.ts';
import { jpegBytes } from './fixtures.ts';
import { type LocalS3, startLocalS3 } from './s3-server.ts';

const DAY = 86_400_000;

function formWithPhotos(): FormDefinition {
  const f = householdForm();
  return {
    ...f,
    sections: [
      ...f.sections,
      {
        id: 'proof',
        title: { 'zh-CN': '材料', en: 'Documents' },
        fields: [
          { id: 'housePhotos', type: 'photo', label: { 'zh-CN': '住房照片', en: 'House' }, maxCount: 5 },
        ],
      },
    ],
  } as FormDefinition;
}

const stores: { name: string; open: () => Promise<{ store: AttachmentStore; close(): Promise<void> }> }[] = [
  {
    name: 'local folder',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nx-retention-'));
      return {
        store: localFolderStore(dir),
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3 (s3rver)',
    open: async () => {
      const s3: LocalS3 = await startLocalS3(['nuanxin-retention']);
      return { store: s3.store({ prefix: 'r/' }), close: () => s3.close() };
    },
  },
];

const combos = dialects().flatMap((d) =>
  stores.map((s) => ({ dialect: d, kind: s, name: `${d.name}, ${s.name}` })),
);

/**
 * Retention over the save pipeline and the housekeeping, on each store: a file no submission
 * references any more goes once its retention is over; content addressing shares a file between
 * submissions, and a file another submission still references stays.
 */
describe.each(combos)('attachment retention on $name', ({ dialect, kind }) => {
  let t: TestDatabase;
  let a: TestApp;
  let store: AttachmentStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    t = await dialect.open();
    ({ store, close } = await kind.open());
    a = await testApp(t, { form: formWithPhotos(), attachments: { store, maxBytes: 1024 * 1024 } });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
    await close?.();
  });

  const upload = async (bytes: Buffer, name: string) => {
    const r = await a.app.inject({
      method: 'POST',
      url: `/api/attachments?name=${name}`,
      headers: { authorization: `Bearer ${await a.token('pingchangStaff')}`, 'content-type': 'image/jpeg' },
      payload: bytes,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; name: string; type: string; size: number };
  };
  const household = (seq: number, photos: unknown[]) => ({
    headName: '李秀英',
    headIdNumber: makeIdcard({ region: '511923', birthDate: '1958-03-02', seq }),
    householdSize: 2,
    housePhotos: photos,
  });
  // What the hourly housekeeping runs (`buildApp` hands it this remover), a run 8 days later each
  // time: past the 7 days' retention. (The housekeeping itself would also drop the tokens by then.)
  let clock = Date.now();
  const housekeeping = async () => {
    clock += 8 * DAY;
    return removeStaleAttachments(t.db, store, new Date(clock - 7 * DAY).toISOString());
  };

  it('keeps a shared file while any submission references it, and removes it once none does', async () => {
    const shared = await upload(jpegBytes(20_000, 41), 'door.jpg');
    const own = await upload(jpegBytes(20_000, 42), 'roof.jpg');
    const first = await a.call('pingchangStaff', 'POST', '/api/forms/test-household/submissions', {
      data: household(11, [shared]),
    });
    expect(first.statusCode, first.body).toBe(201);
    const second = await a.call('pingchangStaff', 'POST', '/api/forms/test-household/submissions', {
      data: household(12, [shared, own]),
    });
    expect(second.statusCode, second.body).toBe(201);
    const s1 = first.json() as { id: string; version: number };
    const s2 = second.json() as { id: string; version: number };

    // The second household's photos are taken out: its own goes, the shared one stays for the first.
    const edited = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s2.id}`, {
      data: household(12, []),
      version: s2.version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await housekeeping()).toBe(1);
    expect(await store.has(own.id)).toBe(false);
    expect(await store.has(shared.id)).toBe(true);
    expect((await a.call('pingchangReviewer', 'GET', `/api/attachments/${shared.id}`)).statusCode).toBe(200);

    // Then the first lets it go too: now it is removed, file and rows.
    const dropped = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${s1.id}`, {
      data: household(11, []),
      version: s1.version,
    });
    expect(dropped.statusCode, dropped.body).toBe(200);
    expect(await housekeeping()).toBe(1);
    expect(await store.has(shared.id)).toBe(false);
    expect(
      await t.db.selectFrom('attachments').select('id').where('id', 'in', [shared.id, own.id]).execute(),
    ).toEqual([]);
    expect(
      await t.db
        .selectFrom('attachment_uploads')
        .select('attachment_id')
        .where('attachment_id', '=', shared.id)
        .execute(),
    ).toEqual([]);
  });

  it('keeps a file of a deleted submission (soft delete keeps its references) and one uploaded again lately', async () => {
    const kept = await upload(jpegBytes(10_000, 51), 'kept.jpg');
    const created = await a.call('pingchangStaff', 'POST', '/api/forms/test-household/submissions', {
      data: household(13, [kept]),
    });
    expect(created.statusCode, created.body).toBe(201);
    const sub = created.json() as { id: string };
    const del = await a.call('bazhongAdmin', 'DELETE', `/api/submissions/${sub.id}`);
    expect(del.statusCode, del.body).toBeLessThan(300);
    const lonely = await upload(jpegBytes(10_000, 52), 'lonely.jpg');
    // The unreferenced upload was sent again a day before the next run: its retention started again.
    await t.db
      .updateTable('attachment_uploads')
      .set({ created_at: new Date(clock + 7 * DAY).toISOString() })
      .where('attachment_id', '=', lonely.id)
      .execute();
    await housekeeping();
    expect(await store.has(kept.id)).toBe(true);
    expect(await store.has(lonely.id)).toBe(true);
    await housekeeping();
    expect(await store.has(lonely.id)).toBe(false);
    expect(await store.has(kept.id)).toBe(true);
  });
});
