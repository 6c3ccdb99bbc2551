import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdForm } from '../../helpers/forms.ts';

const FORM = 'test-household';
const t2 = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const headIdNumber = makeIdcard({ region: '511902', birthDate: '1960-05-05', seq: 3 });

interface EffectiveBody {
  version: number;
  definition: {
    sections: { id: string; title: { en: string }; fields: { id: string; label: { en: string } }[] }[];
  };
  overlays: { orgUnit: string }[];
}
const fieldIds = (b: EffectiveBody) => b.definition.sections.flatMap((s) => s.fields.map((f) => f.id));

describe.each(dialects())('form registry and overlays on $name', (dialect) => {
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

  const effective = async (user: Parameters<TestApp['call']>[0]) => {
    const r = await a.call(user, 'GET', `/api/forms/${FORM}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as EffectiveBody;
  };

  it('lists forms and refuses a second form with the same id or an invalid one', async () => {
    const r = (await a.call('pingchangStaff', 'GET', '/api/forms')).json() as {
      items: { id: string; publishedVersion: number }[];
    };
    expect(r.items).toEqual([
      expect.objectContaining({ id: FORM, publishedVersion: 1, latestStatus: 'published' }),
    ]);
    expect((await a.call('admin', 'POST', '/api/forms', householdForm())).json()).toMatchObject({
      code: 'NX_ERR_FORM_EXISTS',
    });
    const invalid = await a.call('admin', 'POST', '/api/forms', {
      ...householdForm({ id: 'broken' }),
      sections: [],
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({
      code: 'NX_ERR_FORM_INVALID',
      errors: [expect.objectContaining({ path: '/sections' })],
    });
    expect(
      (await a.call('pingchangStaff', 'POST', '/api/forms', householdForm({ id: 'mine' }))).statusCode,
    ).toBe(403);
  });

  it('a form that only has a draft takes no submissions yet', async () => {
    const draftOnly = householdForm({ id: 'draft-only' });
    expect((await a.call('admin', 'POST', '/api/forms', draftOnly)).statusCode).toBe(201);
    const r = await a.call('pingchangStaff', 'POST', '/api/forms/draft-only/submissions', { data: {} });
    expect(r.json()).toMatchObject({ code: 'NX_ERR_FORM_NOT_PUBLISHED' });
    expect(
      (await a.call('pingchangStaff', 'POST', '/api/forms/no-such-form/submissions', { data: {} }))
        .statusCode,
    ).toBe(404);
  });

  it('an overlay changes the effective form for its subtree only, applied top down', async () => {
    const city = await a.call('bazhongAdmin', 'POST', `/api/forms/${FORM}/overlays`, {
      overlay: {
        form: FORM,
        operations: [
          {
            op: 'addField',
            after: 'phone',
            field: { id: 'bazhongNote', type: 'text', label: t2('巴中备注', 'Bazhong note') },
          },
          { op: 'relabel', field: 'headName', label: t2('户主', 'Head') },
        ],
      },
    });
    expect(city.statusCode, city.body).toBe(201);
    const county = await a.call('bazhongAdmin', 'POST', `/api/forms/${FORM}/overlays`, {
      orgUnit: '511923',
      overlay: {
        form: FORM,
        operations: [{ op: 'relabel', field: 'bazhongNote', label: t2('平昌备注', 'Pingchang note') }],
      },
    });
    expect(county.statusCode, county.body).toBe(201);

    const pingchang = await effective('pingchangStaff');
    expect(fieldIds(pingchang)).toContain('bazhongNote');
    expect(pingchang.overlays.map((o) => o.orgUnit)).toEqual(['511900', '511923']);
    const note = pingchang.definition.sections[0]?.fields.find((f) => f.id === 'bazhongNote');
    expect(note?.label.en).toBe('Pingchang note');
    const bazhou = await effective('bazhouStaff');
    expect(bazhou.definition.sections[0]?.fields.find((f) => f.id === 'bazhongNote')?.label.en).toBe(
      'Bazhong note',
    );
    expect(bazhou.definition.sections[0]?.fields[0]?.label.en).toBe('Head');
    const chengdu = await effective('chengduStaff');
    expect(fieldIds(chengdu)).not.toContain('bazhongNote');
    expect(chengdu.definition.sections[0]?.fields[0]?.label.en).toBe('Name of the head');
    expect((await effective('admin')).overlays).toEqual([]);
    // The form as a unit of one's subtree fills it (a reviewer reading a village's submission):
    // the province's admin asks for 平昌县's and gets its two overlays; outside one's subtree, 404.
    const atPingchang = await a.call('admin', 'GET', `/api/forms/${FORM}?org=511923`);
    expect(atPingchang.statusCode, atPingchang.body).toBe(200);
    expect((atPingchang.json() as EffectiveBody).overlays.map((o) => o.orgUnit)).toEqual([
      '511900',
      '511923',
    ]);
    expect(fieldIds(atPingchang.json() as EffectiveBody)).toContain('bazhongNote');
    expect((await a.call('bazhongAdmin', 'GET', `/api/forms/${FORM}?org=510100`)).statusCode).toBe(404);
    expect((await a.call('bazhongAdmin', 'GET', `/api/forms/${FORM}?org=999999`)).statusCode).toBe(404);
    expect((await a.call('bazhongAdmin', 'GET', `/api/forms/${FORM}?org=x`)).statusCode).toBe(400);
  });

  it('an overlay that tightens a check makes the server refuse data only in its subtree', async () => {
    const r = await a.call('bazhongAdmin', 'POST', `/api/forms/${FORM}/overlays`, {
      orgUnit: '511902',
      overlay: { form: FORM, operations: [{ op: 'tighten', field: 'householdSize', max: 5 }] },
    });
    expect(r.statusCode, r.body).toBe(201);
    const data = { headName: '大户', headIdNumber, householdSize: 8 };
    const bazhou = await a.call('bazhouStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data,
      status: 'submitted',
    });
    expect(bazhou.statusCode).toBe(422);
    const chengdu = await a.call('chengduStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data,
      status: 'submitted',
    });
    expect(chengdu.statusCode, chengdu.body).toBe(201);
    const dry = await a.call('bazhouStaff', 'POST', `/api/forms/${FORM}/validate`, { data });
    expect(dry.json()).toMatchObject({
      ok: false,
      errors: [expect.objectContaining({ path: '/householdSize' })],
    });
  });

  it('refuses overlays that do not apply, outside the subtree, or from non-admins', async () => {
    const bad = await a.call('bazhongAdmin', 'POST', `/api/forms/${FORM}/overlays`, {
      overlay: { form: FORM, operations: [{ op: 'hideField', field: 'nope' }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      code: 'NX_ERR_FORM_OVERLAY_INVALID',
      errors: [
        expect.objectContaining({ path: '/operations/0/field', code: 'NX_ERR_OVERLAY_FIELD_UNKNOWN' }),
      ],
    });
    const outside = await a.call('bazhongAdmin', 'POST', `/api/forms/${FORM}/overlays`, {
      orgUnit: '510100',
      overlay: { form: FORM, operations: [{ op: 'hideField', field: 'phone' }] },
    });
    expect(outside.json()).toMatchObject({ code: 'NX_ERR_ORG_NOT_IN_SCOPE' });
    const notAdmin = await a.call('bazhongReviewer', 'POST', `/api/forms/${FORM}/overlays`, {
      overlay: { form: FORM, operations: [{ op: 'hideField', field: 'phone' }] },
    });
    expect(notAdmin.statusCode).toBe(403);
  });

  it('a new version is a draft until published; old-version submissions stay readable and keep their version', async () => {
    const old = await a.call('chengduStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data: { headName: '老版本户', headIdNumber, householdSize: 2, phone: '13900001111' },
      status: 'submitted',
    });
    expect(old.statusCode, old.body).toBe(201);
    const oldId = (old.json() as { id: string }).id;

    const v2 = householdForm();
    v2.sections[0]!.fields = v2.sections[0]!.fields.filter((f) => f.id !== 'phone');
    v2.sections[0]!.fields.push({ id: 'mobile', type: 'phone', label: t2('手机', 'Mobile'), required: true });
    const draft = await a.call('admin', 'POST', `/api/forms/${FORM}/versions`, v2);
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({ version: 2, status: 'draft' });
    expect((await effective('chengduStaff')).version).toBe(1);
    expect((await a.call('chengduStaff', 'GET', `/api/forms/${FORM}?version=2`)).statusCode).toBe(404);
    expect((await a.call('admin', 'GET', `/api/forms/${FORM}?version=2`)).statusCode).toBe(200);
    const mismatch = await a.call('admin', 'POST', `/api/forms/${FORM}/versions`, {
      ...v2,
      id: 'other-form',
    });
    expect(mismatch.json()).toMatchObject({ code: 'NX_ERR_FORM_ID_MISMATCH' });

    const pub = await a.call('admin', 'POST', `/api/forms/${FORM}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    expect((await a.call('admin', 'POST', `/api/forms/${FORM}/publish`)).json()).toMatchObject({
      code: 'NX_ERR_FORM_NO_DRAFT',
    });
    expect((await effective('chengduStaff')).version).toBe(2);
    const v1 = await a.call('chengduStaff', 'GET', `/api/forms/${FORM}?version=1`);
    expect((v1.json() as EffectiveBody).version).toBe(1);

    const read = await a.call('chengduStaff', 'GET', `/api/submissions/${oldId}`);
    expect(read.json()).toMatchObject({
      formVersion: 1,
      data: { headName: '老版本户', phone: '13900001111' },
    });
    // Editing the old submission validates against its own version (v1 has no `mobile`).
    const edit = await a.call('chengduStaff', 'PATCH', `/api/submissions/${oldId}`, {
      data: { householdSize: 3 },
      version: 1,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ formVersion: 1 });

    const fresh = await a.call('chengduStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data: { headName: '新版本户', headIdNumber, householdSize: 2 },
      status: 'submitted',
    });
    expect(fresh.statusCode).toBe(422);
    expect((fresh.json() as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('/mobile');

    const versions = await t.db
      .selectFrom('forms')
      .select(['version', 'status'])
      .where('id', '=', FORM)
      .orderBy('version')
      .execute();
    expect(versions).toEqual([
      { version: 1, status: 'retired' },
      { version: 2, status: 'published' },
    ]);
  });
});
