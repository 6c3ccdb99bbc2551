import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const FORM = 'test-household';
const headId = makeIdcard({ region: '511923', birthDate: '1970-03-15', seq: 17, sex: 'male' });
const memberId = makeIdcard({ region: '511923', birthDate: '1998-07-01', seq: 22, sex: 'female' });

const household = (name: string) => ({
  headName: name,
  headIdNumber: headId,
  phone: '13812345678',
  householdSize: 2,
  members: [{ name: '李小花', idNumber: memberId }],
});

describe.each(dialects())('org-subtree access and pii masking on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let pingchangId: string;
  let bazhouId: string;

  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t);
    const p = await a.call('pingchangStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data: household('平昌户'),
      status: 'submitted',
    });
    expect(p.statusCode, p.body).toBe(201);
    pingchangId = (p.json() as { id: string }).id;
    const b = await a.call('bazhouStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data: household('巴州户'),
    });
    expect(b.statusCode, b.body).toBe(201);
    bazhouId = (b.json() as { id: string }).id;
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  it('a county user cannot read, update or delete another county’s submission: 404 as if it did not exist', async () => {
    const read = await a.call('pingchangStaff', 'GET', `/api/submissions/${bazhouId}`);
    expect(read.statusCode).toBe(404);
    const missing = await a.call(
      'pingchangStaff',
      'GET',
      '/api/submissions/00000000-0000-4000-8000-000000000000',
    );
    expect(read.json()).toEqual(missing.json());
    const patch = await a.call('pingchangStaff', 'PATCH', `/api/submissions/${bazhouId}`, {
      data: { headName: '改名' },
      version: 1,
    });
    expect(patch.statusCode).toBe(404);
    const del = await a.call('pingchangReviewer', 'DELETE', `/api/submissions/${bazhouId}`);
    expect(del.statusCode).toBe(404);
    const audit = await a.call('pingchangStaff', 'GET', `/api/submissions/${bazhouId}/audit`);
    expect(audit.statusCode).toBe(404);
    // Nothing changed for its owner.
    const own = await a.call('bazhouStaff', 'GET', `/api/submissions/${bazhouId}`);
    expect(own.json()).toMatchObject({ version: 1, data: { headName: '巴州户' } });
  });

  it('lists show only the caller’s subtree; a filter on a unit outside it is empty', async () => {
    const ids = async (user: Parameters<TestApp['call']>[0], query = '') => {
      const r = await a.call(user, 'GET', `/api/forms/${FORM}/submissions${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as { items: { id: string }[] }).items.map((i) => i.id).sort();
    };
    expect(await ids('pingchangStaff')).toEqual([pingchangId]);
    expect(await ids('bazhouStaff')).toEqual([bazhouId]);
    expect(await ids('bazhongReviewer')).toEqual([pingchangId, bazhouId].sort());
    expect(await ids('admin')).toEqual([pingchangId, bazhouId].sort());
    expect(await ids('chengduStaff')).toEqual([]);
    expect(await ids('pingchangStaff', '?orgUnit=511902')).toEqual([]);
    expect(await ids('bazhongReviewer', '?orgUnit=511902')).toEqual([bazhouId]);
    expect(await ids('villageStaff')).toEqual([]);
  });

  it('shows ID numbers and phones whole with pii and masked without, in tables too', async () => {
    const whole = (await a.call('pingchangStaff', 'GET', `/api/submissions/${pingchangId}`)).json() as {
      data: Record<string, unknown>;
    };
    expect(whole.data.headIdNumber).toBe(headId);
    expect(whole.data.phone).toBe('13812345678');
    expect((whole.data.members as { idNumber: string }[])[0]?.idNumber).toBe(memberId);

    const masked = (await a.call('pingchangViewer', 'GET', `/api/submissions/${pingchangId}`)).json() as {
      data: Record<string, unknown>;
    };
    expect(masked.data.headIdNumber).toBe(`${headId.slice(0, 4)}**********${headId.slice(-4)}`);
    expect(masked.data.phone).toBe('138****5678');
    expect((masked.data.members as { idNumber: string }[])[0]?.idNumber).toBe(
      `${memberId.slice(0, 4)}**********${memberId.slice(-4)}`,
    );
    expect(masked.data.headName).toBe('平昌户');

    const list = (await a.call('pingchangViewer', 'GET', `/api/forms/${FORM}/submissions`)).json() as {
      items: { data: Record<string, unknown> }[];
    };
    expect(list.items[0]?.data.headIdNumber).toBe(masked.data.headIdNumber);
    const audit = await a.call('pingchangViewer', 'GET', `/api/submissions/${pingchangId}/audit`);
    expect(audit.body).not.toContain(headId);
    expect(audit.body).not.toContain('13812345678');
  });

  it('a user without pii can edit another field without overwriting the masked ID numbers', async () => {
    // villageStaff has no pii; give it a submission in its own village first.
    const c = await a.call('villageStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data: household('村里户'),
    });
    expect(c.statusCode, c.body).toBe(201);
    const created = c.json() as { id: string; data: Record<string, unknown> };
    expect(created.data.headIdNumber).not.toBe(headId);
    const u = await a.call('villageStaff', 'PATCH', `/api/submissions/${created.id}`, {
      data: { ...created.data, headName: '村里户改' },
      version: 1,
    });
    expect(u.statusCode, u.body).toBe(200);
    const stored = (await a.call('admin', 'GET', `/api/submissions/${created.id}`)).json() as {
      data: Record<string, unknown>;
    };
    expect(stored.data.headName).toBe('村里户改');
    expect(stored.data.headIdNumber).toBe(headId);
    expect((stored.data.members as { idNumber: string }[])[0]?.idNumber).toBe(memberId);
  });

  it('creating for a unit outside the subtree is refused; a viewer cannot write at all', async () => {
    const outside = await a.call('pingchangStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data: household('x'),
      orgUnit: '511902',
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json()).toMatchObject({ code: 'NX_ERR_ORG_NOT_IN_SCOPE' });
    const viewer = await a.call('pingchangViewer', 'POST', `/api/forms/${FORM}/submissions`, {
      data: household('x'),
    });
    expect(viewer.statusCode).toBe(403);
  });

  it('org units and users are limited to the subtree too', async () => {
    const units = (await a.call('bazhongReviewer', 'GET', '/api/org-units')).json() as {
      items: { code: string }[];
    };
    expect(units.items.map((u) => u.code)).toEqual([
      '511900',
      '511902',
      '511923',
      '511923102',
      '511923102201',
    ]);
    const counties = (await a.call('bazhongReviewer', 'GET', '/api/org-units?level=county')).json() as {
      items: { code: string }[];
    };
    expect(counties.items.map((u) => u.code)).toEqual(['511902', '511923']);
    const children = (await a.call('admin', 'GET', '/api/org-units?parent=510000')).json() as {
      items: { code: string }[];
    };
    expect(children.items.map((u) => u.code)).toEqual(['510100', '511900']);
    const users = (await a.call('bazhongAdmin', 'GET', '/api/users')).json() as {
      items: { username: string }[];
    };
    expect(users.items.map((u) => u.username)).not.toContain('chengduStaff');
    expect(users.items.map((u) => u.username)).toContain('pingchangStaff');
    expect((await a.call('pingchangStaff', 'GET', '/api/users')).statusCode).toBe(403);
  });
});
