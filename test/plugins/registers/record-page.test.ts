import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit } from '../../../engine/entry/server.ts';
import { benefitsDb } from '../../../plugins/benefits/tables.ts';
import { sexOfIdcard } from '../../factories/idcard.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import {
  householdData,
  idcardEndingInX,
  OTHER_VILLAGE,
  registersApp,
  submitSurvey,
  VILLAGE,
} from './setup.ts';

type Json = Record<string, unknown>;

/**
 * What the household record page reads besides the register itself: the survey of the current
 * version (named by the prefill, so a re-survey starts from its members and assets) and the
 * transfers waiting for an answer, for the units on either side only. The benefits decided for the
 * family are the benefits plugin's section (see the second block).
 */
describe.each(dialects())('household record page data on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const head = idcardEndingInX('1958-08-08');
  let surveyId = '';
  let recordId = '';

  beforeAll(async () => {
    t = await dialect.open();
    a = await registersApp(t);
    surveyId = await submitSurvey(a, {
      ...householdData(41),
      headIdNumber: head,
      headName: '赵永福',
      headSex: sexOfIdcard(head),
    });
    const found = await a.call('pingchangStaff', 'POST', '/api/registers/households/search', {
      idNumber: head,
    });
    recordId = String((found.json() as { items: { record: Json }[] }).items[0]?.record.id);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  it('names the survey of the current version in the prefill', async () => {
    const r = await a.call('pingchangStaff', 'GET', `/api/registers/households/records/${recordId}/prefill`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ recordId, baseVersion: 1, submissionId: surveyId });
  });

  it('answers without a benefits section while the benefits plugin is off', async () => {
    const r = await a.call('pingchangReviewer', 'GET', `/api/registers/households/records/${recordId}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).not.toHaveProperty('benefits');
    expect(r.json()).not.toHaveProperty('decisions');
    expect(r.json()).toMatchObject({ submissions: [expect.objectContaining({ id: surveyId })], cases: [] });
  });

  it('lists a pending transfer for the asking and the receiving side only, the family masked', async () => {
    const asked = await a.call(
      'villageStaff',
      'POST',
      `/api/registers/households/records/${recordId}/transfer`,
      {
        to: OTHER_VILLAGE,
      },
    );
    expect(asked.statusCode, asked.body).toBe(200);
    const { transferId } = asked.json() as { state: string; transferId: string };
    const list = async (user: 'villageStaff' | 'pingchangStaff' | 'chengduStaff') => {
      const r = await a.call(user, 'GET', '/api/registers/households/transfers');
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as { items: Json[] }).items;
    };
    expect(await list('villageStaff')).toEqual([
      expect.objectContaining({
        id: transferId,
        recordId,
        direction: 'out',
        fromOrgCode: VILLAGE,
        toOrgCode: OTHER_VILLAGE,
        name: '赵永福',
        key: `${head.slice(0, 4)}**********${head.slice(-4)}`,
      }),
    ]);
    // The county holds both villages: it may answer, so it sees the transfer as incoming.
    expect(await list('pingchangStaff')).toEqual([
      expect.objectContaining({ id: transferId, direction: 'in' }),
    ]);
    expect(await list('chengduStaff')).toEqual([]);
    const decided = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/transfers/${transferId}`,
      {
        accept: true,
      },
    );
    expect(decided.statusCode, decided.body).toBe(200);
    expect(await list('pingchangStaff')).toEqual([]);
  });

  it('lists the status changes with the day each takes effect, in order', async () => {
    const closing = idcardEndingInX('1944-04-04');
    await submitSurvey(a, {
      ...householdData(42),
      headIdNumber: closing,
      headName: '钱守仁',
      headSex: sexOfIdcard(closing),
    });
    const found = await a.call('pingchangStaff', 'POST', '/api/registers/households/search', {
      idNumber: closing,
    });
    const id = String((found.json() as { items: { record: Json }[] }).items[0]?.record.id);
    const url = `/api/registers/households/records/${id}`;
    for (const body of [
      { status: 'closed', reason: 'death', effective: '2025-06-30' },
      { status: 'active', effective: '2025-07-02' },
    ]) {
      const r = await a.call('pingchangStaff', 'POST', `${url}/status`, body);
      expect(r.statusCode, r.body).toBe(200);
    }
    const shown = (await a.call('pingchangStaff', 'GET', url)).json() as { statuses: Json[] };
    expect(shown.statuses.map((s) => [s.status, s.reason, typeof s.effective === 'string'])).toEqual([
      ['active', null, true],
      ['closed', 'death', true],
      ['active', null, true],
    ]);
    expect(shown.statuses.slice(1).map((s) => s.effective)).toEqual(['2025-06-30', '2025-07-02']);
    expect(shown.statuses[1]?.actor).toBeTruthy();
  });
});

/**
 * The benefits plugin adds its section to the household record (keyed by the head's ID number):
 * under its own rule — its readers only, inside the reader's subtree, without the ID number —
 * so field staff, whom the benefits API refuses, get no benefits on the record either.
 */
describe.each(dialects())('household record benefits section on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const head = idcardEndingInX('1957-07-07');
  let recordId = '';

  beforeAll(async () => {
    t = await dialect.open();
    a = await registersApp(t, ['rules', 'report', 'benefits']);
    await submitSurvey(a, {
      ...householdData(43),
      headIdNumber: head,
      headName: '孙有才',
      headSex: sexOfIdcard(head),
    });
    const found = await a.call('pingchangStaff', 'POST', '/api/registers/households/search', {
      idNumber: head,
    });
    recordId = String((found.json() as { items: { record: Json }[] }).items[0]?.record.id);
    const village = await getOrgUnit(t.db, VILLAGE);
    const row = (id: string, orgPath: string, type: 'dibao' | 'linshi', cents: number) => ({
      id,
      household_key: head,
      head_name: '孙有才',
      org_code: VILLAGE,
      org_path: orgPath,
      type,
      period: type === 'dibao' ? ('monthly' as const) : ('once' as const),
      amount_cents: cents,
      status: 'active' as const,
      start_month: '2026-01',
      end_month: null,
      next_review_on: null,
      application_id: `app-${id}`,
      case_id: `case-${id}`,
      decision_id: null,
      created_at: '2026-01-05T00:00:00.000Z',
      updated_at: '2026-01-05T00:00:00.000Z',
      version: 1,
    });
    await benefitsDb(t.db)
      .insertInto('benefits')
      .values([
        row('b-in', String(village?.path), 'dibao', 49000),
        // Same key, recorded under a unit outside the reader's subtree: not shown.
        row('b-out', '/510000/510100/510104/', 'linshi', 100000),
      ])
      .execute();
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const show = async (user: string) => {
    const r = await a.call(user, 'GET', `/api/registers/households/records/${recordId}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Json;
  };

  it("lists the family's benefits inside the reader's subtree, without the ID number", async () => {
    for (const user of ['pingchangReviewer', 'pingchangViewer']) {
      const benefits = (await show(user)).benefits;
      expect(benefits, user).toEqual([
        {
          id: 'b-in',
          type: 'dibao',
          period: 'monthly',
          amount: 490,
          status: 'active',
          startMonth: '2026-01',
          endMonth: null,
          applicationId: 'app-b-in',
        },
      ]);
      expect(JSON.stringify(benefits)).not.toContain(head);
    }
  });

  it('leaves the section out for field staff, whom the benefits API refuses as well', async () => {
    const answer = await show('pingchangStaff');
    expect(answer).not.toHaveProperty('benefits');
    expect(answer.record).toMatchObject({ id: recordId });
    const api = await a.call('pingchangStaff', 'GET', '/api/plugins/benefits/benefits');
    expect(api.statusCode).toBe(403);
  });

  it("adds the rules' decisions section beside it (an array, whoever may see the record)", async () => {
    expect(Array.isArray((await show('pingchangStaff')).decisions)).toBe(true);
  });
});
