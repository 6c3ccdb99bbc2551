import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBenefit } from '../../../plugins/benefits/write.ts';
import { loadCatalog } from '../../../plugins/crosschecks/index.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { COUNTY, crosschecksApp, OTHER_VILLAGE, seedRegister, VILLAGE } from './setup.ts';

/**
 * The civil-registration list of deaths against the households register, with the REAL benefits
 * plugin (its tables, a benefit created by its own `createBenefit`): a head who died while the
 * household has an active benefit gives a suspend-benefit task, due 7 days after the app's
 * clock's day. Also: the same delivery compared twice writes nothing, and a closed finding stays
 * closed until a delivery shows other values.
 */

type Finding = {
  id: string;
  rule: string;
  subject: string;
  type: string;
  status: string;
  resolution: string | null;
  dueDate: string;
  createdAt: string;
  compared: Record<string, unknown>;
  ownerOrgCode: string;
};

const id = (seq: number, birth = '1950-03-04') => makeIdcard({ region: COUNTY, birthDate: birth, seq });
/** A head on 低保 and a member; a head without a benefit; a head whose benefit was stopped. */
const HEAD_ON_BENEFIT = id(11);
const MEMBER = id(12, '1980-01-01');
const HEAD_NO_BENEFIT = id(13);
const HEAD_STOPPED = id(15);
const NEVER_REGISTERED = id(17);

const HEADER = ['身份证号', '姓名', '户籍地代码', '死亡日期'];
const rows = (death: Record<string, string> = {}) => [
  HEADER,
  [HEAD_ON_BENEFIT, '甲', VILLAGE, death[HEAD_ON_BENEFIT] ?? '2026-03-01'],
  [MEMBER, '乙', VILLAGE, '2026-02-20'],
  [HEAD_NO_BENEFIT, '丙', OTHER_VILLAGE, death[HEAD_NO_BENEFIT] ?? '2026-02-11'],
  [HEAD_STOPPED, '丁', VILLAGE, '2026-02-12'],
  [NEVER_REGISTERED, '戊', VILLAGE, '2026-02-13'],
];

describe.each(dialects())('deaths against the register and the benefits plugin on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  /** The app's clock: moved by the tests. */
  const clock = { now: '2026-03-10T02:00:00.000Z' };
  let deliveryId = '';

  beforeAll(async () => {
    t = await dialect.open();
    a = await crosschecksApp(t, {
      plugins: ['rules', 'registers', 'report', 'benefits', 'crosschecks'],
      clock: () => clock.now,
    });
    const household = (key: string, orgCode: string, members: string[] = []) => ({
      key,
      members,
      orgCode,
      inPovertyRegistry: false,
      disabilityGrade: null,
    });
    await seedRegister(t.db, [
      household(HEAD_ON_BENEFIT, VILLAGE, [MEMBER]),
      household(HEAD_NO_BENEFIT, OTHER_VILLAGE),
      household(HEAD_STOPPED, VILLAGE),
    ]);
    const unit = await t.db
      .selectFrom('org_units')
      .select(['code', 'path'])
      .where('code', '=', VILLAGE)
      .executeTakeFirstOrThrow();
    for (const key of [HEAD_ON_BENEFIT, HEAD_STOPPED]) {
      await createBenefit(t.db, {
        householdKey: key,
        headName: '户主',
        orgCode: unit.code,
        orgPath: unit.path,
        type: 'dibao',
        amountCents: 42_000,
        startMonth: '2026-01',
        nextReviewOn: null,
        applicationId: `app-${key}`,
        caseId: `case-${key}`,
        decisionId: null,
        reason: 'test',
        actor: null,
        now: '2026-01-05T02:00:00.000Z',
      });
    }
    // The stopped one is no longer active (the benefits plugin's status).
    await t.db
      .updateTable('benefits' as never)
      .set({ status: 'stopped' } as never)
      .where('household_key' as never, '=', HEAD_STOPPED as never)
      .execute();
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const deliver = (cells: string[][]) =>
    a.call('pingchangReviewer', 'POST', '/api/crosschecks/lists/civil-deaths/deliveries', {
      orgCode: COUNTY,
      fileName: 'deaths.csv',
      rows: cells,
    });
  const findings = async (): Promise<Finding[]> => {
    const r = await a.call('pingchangReviewer', 'GET', '/api/crosschecks/findings?limit=500');
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { items: Finding[] }).items;
  };
  const rerun = () =>
    loadCatalog().rerun(
      t.db,
      'civil-deaths',
      deliveryId,
      { username: 'test', orgPath: '/', pii: true },
      undefined,
      () => clock.now,
    );

  it('gives a suspend-benefit task for the head who died with an active benefit, due 7 days after the clock’s day', async () => {
    const r = await deliver(rows());
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json() as { deliveryId: string; validUntil: string; runs: Record<string, unknown>[] };
    deliveryId = body.deliveryId;
    // civil-deaths is valid 30 days from the clock's day.
    expect(body.validUntil).toBe('2026-04-09');
    expect(body.runs[0]).toMatchObject({ rows: 5, matched: 4, created: 5, skipped: [] });

    const all = await findings();
    const suspend = all.filter((f) => f.rule === 'benefit-still-active');
    expect(suspend.map((f) => f.subject)).toEqual([HEAD_ON_BENEFIT]);
    expect(suspend[0]).toMatchObject({
      type: 'suspend-benefit',
      status: 'open',
      ownerOrgCode: VILLAGE,
      compared: { 'list.deathDate': '2026-03-01', 'benefits.active': 1 },
      dueDate: '2026-03-17',
      createdAt: clock.now,
    });
    const died = all.filter((f) => f.rule === 'died-in-register');
    expect(died.map((f) => f.subject).sort()).toEqual(
      [HEAD_ON_BENEFIT, MEMBER, HEAD_NO_BENEFIT, HEAD_STOPPED].sort(),
    );
    for (const f of died) expect(f.dueDate).toBe('2026-03-17');
  });

  it('creates no duplicate findings when the same delivery is compared twice', async () => {
    const before = await findings();
    clock.now = '2026-03-12T02:00:00.000Z';
    const runs = await rerun();
    expect(runs[0]).toMatchObject({ created: 0, updated: 0, reopened: 0, cleared: 0, unchanged: 5 });
    const after = await findings();
    expect(after).toEqual(before);
    const count = await t.db
      .selectFrom('crosscheck_findings' as never)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5);
  });

  it('keeps a closed finding closed on the same data and opens it again, due from the clock’s new day, when the data changes', async () => {
    const target = (await findings()).find(
      (f) => f.rule === 'died-in-register' && f.subject === HEAD_NO_BENEFIT,
    ) as Finding;
    const closed = await a.call('pingchangReviewer', 'POST', `/api/crosschecks/findings/${target.id}/close`, {
      action: 'corrected',
    });
    expect(closed.statusCode, closed.body).toBe(200);

    // The same delivery again, and the same content delivered again: it stays closed.
    expect((await rerun())[0]).toMatchObject({ reopened: 0, created: 0 });
    const again = await deliver(rows());
    expect(again.json()).toMatchObject({ duplicate: true, runs: [] });
    const still = (await findings()).find((f) => f.id === target.id);
    expect(still).toMatchObject({ status: 'closed', resolution: 'corrected', dueDate: '2026-03-17' });

    // A later delivery with another date of death for that person: the data changed.
    clock.now = '2026-03-20T02:00:00.000Z';
    const changed = await deliver(rows({ [HEAD_NO_BENEFIT]: '2026-02-10' }));
    expect(changed.statusCode, changed.body).toBe(201);
    expect((changed.json() as { runs: Record<string, unknown>[] }).runs[0]).toMatchObject({
      created: 0,
      reopened: 1,
      unchanged: 4,
    });
    const reopened = (await findings()).find((f) => f.id === target.id);
    expect(reopened).toMatchObject({
      status: 'open',
      resolution: null,
      dueDate: '2026-03-27',
      compared: { 'list.deathDate': '2026-02-10' },
    });
    // The others keep their first due date.
    const suspend = (await findings()).find((f) => f.rule === 'benefit-still-active');
    expect(suspend?.dueDate).toBe('2026-03-17');
  });
});
