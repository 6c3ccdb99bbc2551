import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../engine/auth/roles.ts';
import { createUser } from '../../../engine/auth/users.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdForm } from '../../helpers/forms.ts';

const FORM = 'test-household';
const headIdNumber = makeIdcard({ region: '511923', birthDate: '1970-03-04', seq: 7 });

/** Admins beside the shared test users: with and without pii, at the province, a city and a county. */
const ADMINS: Record<string, { org: string; roles: Role[]; pii: boolean }> = {
  provinceAdminNoPii: { org: '510000', roles: ['admin', 'field_staff'], pii: false },
  pingchangAdmin: { org: '511923', roles: ['admin', 'field_staff', 'reviewer'], pii: true },
  pingchangAdminNoPii: { org: '511923', roles: ['admin', 'field_staff'], pii: false },
  bazhouAdmin: { org: '511902', roles: ['admin'], pii: true },
};
type Caller = Parameters<TestApp['call']>[0];
const as = (name: keyof typeof ADMINS) => name as unknown as Caller;

describe.each(dialects())('grants, form ownership and personal fields on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t);
    for (const [username, u] of Object.entries(ADMINS)) {
      await createUser(t.db, {
        username,
        password: PASSWORD,
        orgCode: u.org,
        roles: u.roles,
        permissions: u.pii ? ['pii'] : [],
      });
    }
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const newUser = (username: string, extra: Record<string, unknown> = {}) => ({
    username,
    password: 'long-enough-password-1',
    orgUnit: '511923102201',
    roles: ['field_staff'],
    ...extra,
  });

  describe('user creation', () => {
    it('an admin without pii cannot create a user with pii; with pii it can', async () => {
      const r = await a.call(
        as('pingchangAdminNoPii'),
        'POST',
        '/api/users',
        newUser('g1', { permissions: ['pii'] }),
      );
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ code: 'NX_ERR_USER_GRANT_EXCEEDED' });
      const ok = await a.call(
        as('pingchangAdmin'),
        'POST',
        '/api/users',
        newUser('g1', { permissions: ['pii'] }),
      );
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ permissions: ['pii'] });
    });

    it('an admin cannot create a user with a role it does not hold', async () => {
      for (const role of ['reviewer', 'finance', 'bank', 'viewer']) {
        const r = await a.call(
          as('pingchangAdminNoPii'),
          'POST',
          '/api/users',
          newUser(`g2${role}`, { roles: [role] }),
        );
        expect(r.json(), role).toMatchObject({ code: 'NX_ERR_USER_GRANT_EXCEEDED' });
      }
      const ok = await a.call(
        as('pingchangAdmin'),
        'POST',
        '/api/users',
        newUser('g2ok', { roles: ['reviewer'] }),
      );
      expect(ok.statusCode, ok.body).toBe(201);
      // A service account only loses powers: any admin may mark one.
      const svc = await a.call(
        as('pingchangAdminNoPii'),
        'POST',
        '/api/users',
        newUser('g2svc', { roles: ['field_staff', 'service'] }),
      );
      expect(svc.statusCode, svc.body).toBe(201);
    });

    it('an admin cannot create a user above its org unit or outside its subtree', async () => {
      for (const orgUnit of ['511900', '510000', '511902']) {
        const r = await a.call(
          as('pingchangAdmin'),
          'POST',
          '/api/users',
          newUser(`g3${orgUnit}`, { orgUnit }),
        );
        expect(r.json(), orgUnit).toMatchObject({ code: 'NX_ERR_ORG_NOT_IN_SCOPE' });
      }
    });

    it('a name taken outside the caller’s area gets the same answer as one taken inside it', async () => {
      // bazhouStaff lives in 巴州区, outside 平昌县; villageStaff inside it.
      const outside = await a.call(as('pingchangAdmin'), 'POST', '/api/users', newUser('bazhouStaff'));
      const inside = await a.call(as('pingchangAdmin'), 'POST', '/api/users', newUser('villageStaff'));
      expect(outside.statusCode).toBe(409);
      expect(outside.json()).toEqual(inside.json());
      // A grant the caller may not make is refused before the name is looked at.
      const refused = await a.call(
        as('pingchangAdminNoPii'),
        'POST',
        '/api/users',
        newUser('bazhouStaff', { permissions: ['pii'] }),
      );
      expect(refused.json()).toMatchObject({ code: 'NX_ERR_USER_GRANT_EXCEEDED' });
    });
  });

  describe('form ownership', () => {
    it('a county admin cannot change the province’s form, only overlay it within its subtree', async () => {
      const v2 = householdForm({ title: { 'zh-CN': '县改', en: 'County edit' } });
      const r = await a.call(as('pingchangAdmin'), 'POST', `/api/forms/${FORM}/versions`, v2);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ code: 'NX_ERR_FORM_NOT_OWNER' });
      expect((await a.call(as('pingchangAdmin'), 'POST', `/api/forms/${FORM}/publish`)).json()).toMatchObject(
        {
          code: 'NX_ERR_FORM_NOT_OWNER',
        },
      );
      const overlay = await a.call(as('pingchangAdmin'), 'POST', `/api/forms/${FORM}/overlays`, {
        overlay: {
          form: FORM,
          operations: [{ op: 'relabel', field: 'headName', label: { 'zh-CN': '户主', en: 'Head' } }],
        },
      });
      expect(overlay.statusCode, overlay.body).toBe(201);
    });

    it('a form belongs to the unit that created it: that level and above change it, siblings do not', async () => {
      const own = householdForm({ id: 'county-form' });
      expect((await a.call(as('pingchangAdmin'), 'POST', '/api/forms', own)).statusCode).toBe(201);
      expect((await a.call(as('pingchangAdmin'), 'POST', '/api/forms/county-form/publish')).statusCode).toBe(
        200,
      );
      const v2 = householdForm({ id: 'county-form', title: { 'zh-CN': '二版', en: 'v2' } });
      expect(
        (await a.call(as('bazhouAdmin'), 'POST', '/api/forms/county-form/versions', v2)).json(),
      ).toMatchObject({
        code: 'NX_ERR_FORM_NOT_OWNER',
      });
      expect((await a.call('bazhongAdmin', 'POST', '/api/forms/county-form/versions', v2)).statusCode).toBe(
        201,
      );
      expect((await a.call(as('pingchangAdmin'), 'POST', '/api/forms/county-form/publish')).statusCode).toBe(
        200,
      );
    });
  });

  describe('personal fields marked explicitly', () => {
    const retyped = (pii?: boolean) => {
      const def = householdForm();
      const fields = def.sections[0]?.fields ?? [];
      const i = fields.findIndex((f) => f.id === 'phone');
      fields[i] = {
        id: 'phone',
        type: 'text',
        label: { 'zh-CN': '电话', en: 'Phone' },
        ...(pii === undefined ? {} : { pii }),
      };
      return def;
    };

    it('a new version may not stop masking a field the previous one masked', async () => {
      const r = await a.call('admin', 'POST', `/api/forms/${FORM}/versions`, retyped());
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({
        code: 'NX_ERR_FORM_PII_DROPPED',
        errors: [
          expect.objectContaining({
            path: '/query/unmask',
            message: expect.objectContaining({ en: expect.stringContaining('"phone"') }),
          }),
        ],
      });
      // Not even with the confirmation, from an admin of the owning level without pii.
      const noPii = await a.call(
        as('provinceAdminNoPii'),
        'POST',
        `/api/forms/${FORM}/versions?unmask=phone`,
        retyped(),
      );
      expect(noPii.json()).toMatchObject({ code: 'NX_ERR_FORM_PII_DROPPED' });
    });

    it('a field retyped to text keeps its masking when marked pii; an admin with pii may confirm unmasking', async () => {
      const draft = await a.call('admin', 'POST', `/api/forms/${FORM}/versions`, retyped(true));
      expect(draft.statusCode, draft.body).toBe(201);
      expect((await a.call('admin', 'POST', `/api/forms/${FORM}/publish`)).statusCode).toBe(200);
      const created = await a.call('villageStaff', 'POST', `/api/forms/${FORM}/submissions`, {
        data: { headName: '王五', headIdNumber, householdSize: 2, phone: '13811112222' },
        status: 'submitted',
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: string }).id;
      const seen = (await a.call('pingchangViewer', 'GET', `/api/submissions/${id}`)).json() as {
        data: Record<string, unknown>;
      };
      expect(seen.data.phone).toBe('138****2222');
      expect(seen.data.headIdNumber).not.toBe(headIdNumber);
      expect(
        (
          (await a.call('pingchangReviewer', 'GET', `/api/submissions/${id}`)).json() as {
            data: Record<string, unknown>;
          }
        ).data.phone,
      ).toBe('13811112222');
      const confirmed = await a.call(
        'admin',
        'POST',
        `/api/forms/${FORM}/versions?unmask=phone`,
        retyped(false),
      );
      expect(confirmed.statusCode, confirmed.body).toBe(201);
    });
  });
});
