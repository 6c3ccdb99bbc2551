import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmpty, loadDemo } from '../../../demo/load-demo.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../demo/users.ts';
import { buildApp } from '../../../engine/server/app.ts';
import { makeHousehold } from '../../factories/household.ts';
import '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

describe.each(dialects())('the demo on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('loads divisions, users and the seed forms, and a village worker can file a household survey', async () => {
    expect(await isEmpty(t.db)).toBe(true);
    const r = await loadDemo(t.db);
    expect(r.problems).toEqual([]);
    expect(r.orgUnits).toBeGreaterThan(205);
    expect(r.users).toEqual(DEMO_USERS.map((u) => u.username));
    expect(r.forms).toContain('household-survey');
    expect(await isEmpty(t.db)).toBe(false);
    // Loading twice adds nothing.
    expect(await loadDemo(t.db)).toMatchObject({ users: [], forms: [] });

    const app = await buildApp({ db: t.db });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'baiyicun.staff', password: DEMO_PASSWORD },
      });
      const auth = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
      // Member ages follow their ID numbers as of the survey date, as the form checks them.
      const household = makeHousehold(11);
      const created = await app.inject({
        method: 'POST',
        url: '/api/forms/household-survey/submissions',
        headers: auth,
        payload: { data: household, status: 'submitted' },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ orgUnit: '511923102201', status: 'submitted' });
      const units = await app.inject({ method: 'GET', url: '/api/org-units', headers: auth });
      expect((units.json() as { items: { code: string }[] }).items.map((u) => u.code)).toEqual([
        '511923102201',
      ]);
    } finally {
      await app.close();
    }
  });
});
