import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdForm } from '../../helpers/forms.ts';

/**
 * `POST /api/forms/:id/check`: a definition's problems as saving would find them, and the units
 * publishing it reaches — with each unit's overlay tried on it — before anything is saved.
 */

const FORM = 'test-household';
const t2 = (zh: string, en: string) => ({ 'zh-CN': zh, en });

interface CheckBody {
  ok: boolean;
  errors: { path: string; code: string }[];
  reach: {
    owner: { code: string; name: string } | null;
    overlays: { code: string; name: string; version: number; errors: { path: string; code: string }[] }[];
  };
}

describe.each(dialects())('checking a form definition before publishing on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const check = async (user: string, def: unknown) => {
    const r = await a.call(user as 'admin', 'POST', `/api/forms/${FORM}/check`, def);
    return r;
  };

  it('lists every problem with its pointer, and saves nothing', async () => {
    const broken = householdForm();
    (broken.sections[0]?.fields[0] as unknown as Record<string, unknown>).type = 'txt';
    const r = await check('admin', { ...broken, version: 'two' });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as CheckBody;
    expect(body.ok).toBe(false);
    expect(body.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/version', '/sections/0/fields/0/type']),
    );
    const other = (await check('admin', householdForm({ id: 'other' }))).json() as CheckBody;
    expect(other.errors).toEqual([expect.objectContaining({ path: '/id', code: 'NX_ERR_FORM_ID_MISMATCH' })]);
    const versions = await t.db.selectFrom('forms').select('version').where('id', '=', FORM).execute();
    expect(versions).toHaveLength(1);
  });

  it('names the units with an overlay, and says which overlay the new definition breaks', async () => {
    const none = (await check('admin', householdForm())).json() as CheckBody;
    expect(none).toEqual({ ok: true, errors: [], reach: { owner: null, overlays: [] } });

    const overlay = await a.call('bazhongAdmin', 'POST', `/api/forms/${FORM}/overlays`, {
      overlay: { form: FORM, operations: [{ op: 'relabel', field: 'phone', label: t2('手机', 'Mobile') }] },
    });
    expect(overlay.statusCode, overlay.body).toBe(201);

    const same = (await check('admin', householdForm())).json() as CheckBody;
    expect(same.reach.overlays).toEqual([
      { code: '511900', name: expect.stringContaining('巴中'), version: 1, errors: [] },
    ]);
    const withoutPhone = householdForm();
    const head = withoutPhone.sections[0] as { fields: { id: string }[] };
    head.fields = head.fields.filter((f) => f.id !== 'phone');
    const broken = (await check('admin', withoutPhone)).json() as CheckBody;
    expect(broken.ok).toBe(true);
    expect(broken.reach.overlays[0]?.errors).toEqual([
      expect.objectContaining({ path: '/operations/0/field', code: 'NX_ERR_OVERLAY_FIELD_UNKNOWN' }),
    ]);
  });

  it('is for administrators of the owning level only', async () => {
    expect((await check('bazhongAdmin', householdForm())).json()).toMatchObject({
      code: 'NX_ERR_FORM_NOT_OWNER',
    });
    expect((await check('pingchangStaff', householdForm())).statusCode).toBe(403);
  });
});
