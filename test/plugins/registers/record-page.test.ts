import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit } from '../../../engine/entry/server.ts';
import { BENEFITS_MIGRATIONS, benefitsDb } from '../../../plugins/benefits/tables.ts';
import { sexOfIdcard } from '../../factories/idcard.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, idcardEndingInX, registersApp, submitSurvey, VILLAGE } from './setup.ts';

type Json = Record<string, unknown>;

/**
 * What the household record page reads besides the register itself: the survey of the current
 * version (named by the prefill, so a re-survey starts from its members and assets) and the
 * benefits decided for the family (the benefits plugin's table, keyed by the head's ID number),
 * only those inside the reader's subtree and without the ID number.
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

  it('lists no benefits while the benefits plugin is off', async () => {
    const r = await a.call('pingchangStaff', 'GET', `/api/registers/households/records/${recordId}`);
    expect((r.json() as { benefits: unknown[] }).benefits).toEqual([]);
  });

  it("lists the family's benefits inside the reader's subtree, without the ID number", async () => {
    await BENEFITS_MIGRATIONS['001_benefits']?.up(t.db as never);
    const village = await getOrgUnit(t.db, VILLAGE);
    const row = (id: string, orgPath: string, type: 'dibao' | 'linshi', cents: number) => ({
      id,
      household_key: head,
      head_name: '赵永福',
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
    const r = await a.call('pingchangStaff', 'GET', `/api/registers/households/records/${recordId}`);
    expect(r.statusCode, r.body).toBe(200);
    const benefits = (r.json() as { benefits: Json[] }).benefits;
    expect(benefits).toEqual([
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
  });
});
