import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const FORM = 'test-household';
const headIdNumber = makeIdcard({ region: '511923', birthDate: '1958-11-02', seq: 12 });
const phone = '13755556666';

describe.each(dialects())('list filters on personal fields and per-user limits on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t, { listRateLimit: { max: 8, timeWindowMs: 60_000 } });
    const r = await a.call('pingchangStaff', 'POST', `/api/forms/${FORM}/submissions`, {
      data: {
        headName: '赵六',
        headIdNumber,
        householdSize: 3,
        phone,
        members: [{ name: '赵七', idNumber: headIdNumber }],
      },
      orgUnit: '511923102201',
      status: 'submitted',
    });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const list = (user: Parameters<TestApp['call']>[0], query: string) =>
    a.call(user, 'GET', `/api/forms/${FORM}/submissions?${query}`);

  it('refuses a filter on a field the caller sees masked, with a code and the filter’s pointer', async () => {
    for (const [field, guess] of [
      ['headIdNumber', headIdNumber],
      ['phone', phone],
    ] as const) {
      const r = await list('villageStaff', `field.${field}=${guess}`);
      expect(r.statusCode, field).toBe(403);
      expect(r.json()).toMatchObject({
        code: 'NX_ERR_SUBMISSION_FILTER_MASKED',
        errors: [expect.objectContaining({ path: `/query/field.${field}` })],
      });
      // A wrong guess gets the same answer: the filter answers nothing.
      expect((await list('villageStaff', `field.${field}=1`)).json()).toEqual(
        (await list('villageStaff', `field.${field}=${guess}`)).json(),
      );
    }
    // A field the form does not have is refused too (it may have been personal in an older version).
    expect((await list('villageStaff', 'field.oldPhone=1')).json()).toMatchObject({
      code: 'NX_ERR_SUBMISSION_FILTER_MASKED',
    });
  });

  it('filters on other fields for everyone, and on personal fields for a user with pii', async () => {
    const byName = await list('villageStaff', `field.headName=${encodeURIComponent('赵六')}`);
    expect(byName.statusCode, byName.body).toBe(200);
    expect((byName.json() as { items: unknown[] }).items).toHaveLength(1);
    const withPii = await list('pingchangReviewer', `field.headIdNumber=${headIdNumber}`);
    expect((withPii.json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('limits list routes per user: another token of the same user shares the budget, other users do not', async () => {
    const second = await a.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'bazhouStaff', password: 'test-password-1' },
    });
    const other = (second.json() as { token: string }).token;
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) seen.push((await list('bazhouStaff', 'limit=1')).statusCode);
    for (let i = 0; i < 4; i++) {
      const r = await a.app.inject({
        method: 'GET',
        url: `/api/forms/${FORM}/submissions?limit=1`,
        headers: { authorization: `Bearer ${other}` },
      });
      seen.push(r.statusCode);
    }
    expect(seen).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    const limited = await list('bazhouStaff', 'limit=1');
    expect(limited.json()).toMatchObject({ code: 'NX_ERR_HTTP_RATE_LIMITED' });
    expect((await list('bazhouReviewer', 'limit=1')).statusCode).toBe(200);
    expect((await a.call('bazhouStaff', 'GET', '/api/tasks')).statusCode).not.toBe(429);
  });
});
