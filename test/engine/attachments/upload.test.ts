import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleAttachments } from '../../../engine/attachments/attachment-service.ts';
import { localFolderStore } from '../../../engine/attachments/local-folder-store.ts';
import type { FormDefinition } from '../../../engine/definition/form-schema.ts';
import { runHousekeeping } from '../../../engine/store/housekeeping.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdForm } from '../../helpers/forms.ts';
import { jpegBytes, pngBytes, sha256 } from './fixtures.ts';

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

function formWithAttachments(): FormDefinition {
  const f = householdForm();
  return {
    ...f,
    sections: [
      ...f.sections,
      {
        id: 'proof',
        title: L('材料', 'Documents'),
        fields: [
          { id: 'idCardPhotos', type: 'photo', label: L('身份证照片', 'ID card'), pii: true, maxCount: 2 },
          { id: 'housePhotos', type: 'photo', label: L('住房照片', 'House'), maxCount: 5 },
          { id: 'householdSignature', type: 'signature', label: L('户主签字', 'Head’s signature') },
        ],
      },
    ],
  } as FormDefinition;
}

const MAX = 2 * 1024 * 1024;

describe.each(dialects())('attachments on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let dir: string;
  const store = () => localFolderStore(dir);
  const files = () =>
    readdirSync(dir)
      .filter((d) => /^[0-9a-f]{2}$/.test(d))
      .flatMap((d) => readdirSync(join(dir, d)));

  beforeAll(async () => {
    t = await dialect.open();
    dir = mkdtempSync(join(tmpdir(), 'nx-att-'));
    a = await testApp(t, { form: formWithAttachments(), attachments: { dir, maxBytes: MAX } });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (user: string, body: Buffer, type = 'image/png', name = 'sig.png') =>
    a.app.inject({
      method: 'POST',
      url: `/api/attachments?name=${encodeURIComponent(name)}`,
      headers: { authorization: `Bearer ${await a.token(user)}`, 'content-type': type },
      payload: body,
    });
  const get = async (user: string, id: string) =>
    a.app.inject({
      method: 'GET',
      url: `/api/attachments/${id}`,
      headers: { authorization: `Bearer ${await a.token(user)}` },
    });

  it('stores an upload under its SHA-256; a retry of the same content stores nothing twice', async () => {
    const bytes = pngBytes(50_000, 1);
    const first = await upload('pingchangStaff', bytes);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ id: sha256(bytes), name: 'sig.png', type: 'image/png', size: 50_000 });
    const again = await upload('pingchangStaff', bytes);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const both = await Promise.all([upload('bazhouStaff', bytes), upload('bazhouStaff', bytes)]);
    expect(both.map((r) => r.json())).toEqual([first.json(), first.json()]);
    expect(files().filter((f) => f === sha256(bytes))).toHaveLength(1);
    const rows = await t.db.selectFrom('attachments').selectAll().where('id', '=', sha256(bytes)).execute();
    expect(rows).toHaveLength(1);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', sha256(bytes))
      .execute();
    expect(audit.filter((r) => r.action === 'attachment.upload').length).toBe(4);
    const read = await get('pingchangStaff', sha256(bytes));
    expect(read.statusCode).toBe(200);
    expect(read.rawPayload.equals(bytes)).toBe(true);
    expect(read.headers['content-type']).toBe('image/png');
  });

  it('refuses a file over the limit while it streams, by its length or by counting, with a clear code', async () => {
    const before = files().length;
    const big = await upload('pingchangStaff', pngBytes(MAX + 1, 2));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({
      code: 'NX_ERR_ATTACHMENT_TOO_LARGE',
      errors: [{ params: { maxBytes: MAX } }],
    });
    expect((big.json() as { message: { en: string } }).message.en).toMatch(/larger than the server accepts/);
    // Without a length (chunked), the count stops it.
    const { Readable } = await import('node:stream');
    const chunks = function* () {
      for (let i = 0; i < 40; i++) yield pngBytes(100_000, i);
    };
    const chunked = await a.app.inject({
      method: 'POST',
      url: '/api/attachments',
      headers: { authorization: `Bearer ${await a.token('pingchangStaff')}`, 'content-type': 'image/png' },
      payload: Readable.from(chunks()),
    });
    expect(chunked.statusCode).toBe(413);
    expect(chunked.json()).toMatchObject({ code: 'NX_ERR_ATTACHMENT_TOO_LARGE' });
    expect(files().length).toBe(before);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses a type the server does not take, and content that is not what it claims', async () => {
    const exe = await upload('pingchangStaff', Buffer.from('MZ...'), 'application/x-msdownload');
    expect([exe.statusCode, exe.json()]).toMatchObject([415, { code: 'NX_ERR_ATTACHMENT_TYPE' }]);
    const fake = await upload('pingchangStaff', Buffer.from('<svg onload=alert(1)>'), 'image/png');
    expect([fake.statusCode, fake.json()]).toMatchObject([415, { code: 'NX_ERR_ATTACHMENT_TYPE_MISMATCH' }]);
    const viewer = await upload('pingchangViewer', pngBytes(100, 3));
    expect(viewer.statusCode).toBe(403);
  });

  it('follows the submission: scope, masking and refusal without pii, and no borrowing of references', async () => {
    const idPhoto = (
      await upload('pingchangStaff', jpegBytes(30_000, 4), 'image/jpeg', '身份证.jpg')
    ).json() as Record<string, unknown>;
    const house = (
      await upload('pingchangStaff', jpegBytes(20_000, 5), 'image/jpeg', 'house.jpg')
    ).json() as Record<string, unknown>;
    const sig = (await upload('pingchangStaff', pngBytes(4_000, 6))).json() as Record<string, unknown>;
    // Unreferenced: only its uploader reads it.
    expect((await get('pingchangStaff', house.id as string)).statusCode).toBe(200);
    expect((await get('pingchangReviewer', house.id as string)).statusCode).toBe(404);
    const data = {
      headName: '王建国',
      headIdNumber: makeIdcard({ region: '511923', birthDate: '1965-01-20', seq: 7 }),
      householdSize: 3,
      idCardPhotos: [idPhoto],
      housePhotos: [house],
      householdSignature: sig,
    };
    const created = await a.call('pingchangStaff', 'POST', '/api/forms/test-household/submissions', { data });
    expect(created.statusCode, created.body).toBe(201);
    const sub = created.json() as { id: string; version: number };
    // Scope: a reviewer of the county reads them; the next county does not know them.
    expect((await get('pingchangReviewer', house.id as string)).statusCode).toBe(200);
    expect((await get('bazhouReviewer', house.id as string)).statusCode).toBe(404);
    expect((await get('bazhongReviewer', sig.id as string)).statusCode).toBe(200);
    // Without pii: the ID photo and the signature are refused with a code, the house photo is not.
    const refused = await get('pingchangViewer', idPhoto.id as string);
    expect([refused.statusCode, refused.json()]).toMatchObject([403, { code: 'NX_ERR_ATTACHMENT_PII' }]);
    expect((await get('pingchangViewer', sig.id as string)).statusCode).toBe(403);
    expect((await get('pingchangViewer', house.id as string)).statusCode).toBe(200);
    // … and sees them masked in the submission.
    const seen = (await a.call('pingchangViewer', 'GET', `/api/submissions/${sub.id}`)).json() as {
      data: Record<string, unknown>;
    };
    expect(seen.data.idCardPhotos).toEqual([
      { id: null, name: '***', type: 'image/jpeg', size: 30_000, masked: true },
    ]);
    expect(seen.data.householdSignature).toMatchObject({ id: null, masked: true });
    expect(JSON.stringify(seen)).not.toContain(String(idPhoto.id));
    expect(seen.data.housePhotos).toEqual([house]);
    // Reads are audited, refusals too.
    const actions = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity_id', '=', idPhoto.id as string)
      .execute();
    expect(actions).toContainEqual({ action: 'attachment.read_refused', actor: 'pingchangViewer' });
    // Someone outside the subtree cannot attach a reference they only know the id of.
    const borrowed = await a.call('bazhouStaff', 'POST', '/api/forms/test-household/submissions', {
      data: { ...data, headIdNumber: makeIdcard({ region: '511902', birthDate: '1970-01-20', seq: 8 }) },
      orgUnit: '511902',
    });
    expect(borrowed.statusCode).toBe(422);
    expect(borrowed.json()).toMatchObject({ code: 'NX_ERR_ATTACHMENT_UNKNOWN' });
    expect((borrowed.json() as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      '/idCardPhotos',
      '/housePhotos',
      '/householdSignature',
    ]);
    // A reference whose size was changed is refused too.
    const lied = await a.call('pingchangStaff', 'POST', '/api/forms/test-household/submissions', {
      data: { ...data, housePhotos: [{ ...house, size: 1 }] },
    });
    expect(lied.statusCode).toBe(422);
    // A writer without pii who sends the masked references back keeps the stored ones.
    const masked = (await a.call('pingchangViewer', 'GET', `/api/submissions/${sub.id}`)).json() as {
      data: Record<string, unknown>;
    };
    await t.db
      .deleteFrom('user_permissions')
      .where(
        'user_id',
        '=',
        (
          await t.db
            .selectFrom('users')
            .select('id')
            .where('username', '=', 'bazhongAdmin')
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    const kept = await a.call('bazhongAdmin', 'PATCH', `/api/submissions/${sub.id}`, {
      data: { ...masked.data, headName: '王建民' },
      version: sub.version,
    });
    expect(kept.statusCode, kept.body).toBe(200);
    const row = await t.db
      .selectFrom('submissions')
      .select('data')
      .where('id', '=', sub.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.data)).toMatchObject({
      headName: '王建民',
      idCardPhotos: [idPhoto],
      householdSignature: sig,
    });
  });

  it('removes an upload no submission took up after the retention, and keeps referenced ones', async () => {
    const lonely = (await upload('pingchangStaff', pngBytes(1_000, 9))).json() as { id: string };
    const referenced = await t.db.selectFrom('attachment_refs').select('attachment_id').execute();
    expect(referenced.length).toBeGreaterThan(0);
    const future = new Date(Date.now() + 8 * 86_400_000);
    const r = await runHousekeeping(t.db, {
      now: future,
      removeStale: (now) =>
        removeStaleAttachments(t.db, store(), new Date(now.getTime() - 7 * 86_400_000).toISOString()),
    });
    expect(r.attachments).toBeGreaterThanOrEqual(1);
    expect(files()).not.toContain(lonely.id);
    expect(await t.db.selectFrom('attachments').select('id').where('id', '=', lonely.id).execute()).toEqual(
      [],
    );
    for (const { attachment_id } of referenced) expect(files()).toContain(attachment_id);
  });
});
