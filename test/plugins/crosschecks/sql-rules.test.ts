import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComparisonDefinition,
  loadCatalog,
  type RunResult,
  runComparison,
} from '../../../plugins/crosschecks/index.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import {
  type MonitoringRow,
  makeMonitoringScenario,
  monitoringCells,
  type ScenarioHousehold,
} from '../../factories/monitoring-list.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { COUNTY, crosschecksApp, ELSEWHERE, OTHER_VILLAGE, seedRegister, VILLAGE } from './setup.ts';

/**
 * The rules that run in SQL and the same rules in JavaScript give the same findings and counts,
 * on generated data with the hard cases: a person listed twice with other values, a person head
 * of one household and member of another, a person member of two households, a rule that does
 * not translate (JavaScript in the same run). And the record a row meets is chosen the same way
 * every time: the household where the person is head, else the lowest record id.
 */

const id = (seq: number) => makeIdcard({ region: '511923', birthDate: '1980-05-05', seq, sex: 'male' });
const TWICE = id(11); // head of household A (village) and member of B (other village)
const SHARED = id(12); // member of C and of D
const LISTED_TWICE = id(13); // on the list twice: in the registry by the first row, not by the second

const scenario = makeMonitoringScenario({
  seed: 77,
  households: 40,
  villages: [VILLAGE, OTHER_VILLAGE],
  elsewhere: ELSEWHERE,
});
const extra: ScenarioHousehold[] = [
  { key: TWICE, members: [id(21)], orgCode: VILLAGE, inPovertyRegistry: false, disabilityGrade: null },
  { key: id(22), members: [TWICE], orgCode: OTHER_VILLAGE, inPovertyRegistry: false, disabilityGrade: null },
  { key: id(23), members: [SHARED], orgCode: OTHER_VILLAGE, inPovertyRegistry: false, disabilityGrade: null },
  { key: id(24), members: [SHARED], orgCode: VILLAGE, inPovertyRegistry: false, disabilityGrade: null },
  { key: id(25), members: [LISTED_TWICE], orgCode: VILLAGE, inPovertyRegistry: false, disabilityGrade: null },
];
const row = (idNumber: string, inPovertyRegistry: boolean, areaCode = VILLAGE): MonitoringRow => ({
  idNumber,
  name: '重复',
  areaCode,
  monitorType: 'sudden',
  inPovertyRegistry,
});
const rows = [
  ...scenario.rows,
  row(TWICE, true),
  row(SHARED, true),
  row(LISTED_TWICE, true),
  row(LISTED_TWICE, false),
  // Never surveyed, listed twice with two monitoring types: the last row's values.
  { ...row(id(31), false), monitorType: 'unstable' as const },
  { ...row(id(31), false, OTHER_VILLAGE), monitorType: 'marginal' as const },
];
const cells = monitoringCells({ ...scenario, rows, invalid: [] });

const catalog = loadCatalog();
const list = catalog.list('prr-monitoring');
const shipped = catalog.comparisons.find((c) => c.id === 'prr-monitoring') as ComparisonDefinition;
/** The shipped rules and one that does not translate to SQL (`in`): it runs in JavaScript. */
const mixed: ComparisonDefinition = {
  ...shipped,
  rules: [
    ...shipped.rules,
    {
      id: 'sudden-unsurveyed',
      title: { 'zh-CN': '突发严重困难户未调查', en: 'Sudden hardship, never surveyed' },
      type: 'survey',
      severity: 'high',
      when: {
        and: [{ '!': { var: 'matched' } }, { in: [{ var: 'list.monitorType' }, ['sudden', 'marginal']] }],
      },
      compare: ['list.monitorType', 'list.areaCode', 'match.role'],
      dueDays: 10,
    },
  ],
};

describe.each(dialects())('comparison rules in SQL and in JavaScript on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let deliveryId = '';
  beforeAll(async () => {
    t = await dialect.open();
    a = await crosschecksApp(t);
    await seedRegister(t.db, [...scenario.households, ...extra]);
    const r = await a.call('pingchangReviewer', 'POST', '/api/crosschecks/lists/prr-monitoring/deliveries', {
      orgCode: COUNTY,
      rows: cells,
    });
    expect(r.statusCode, r.body).toBe(201);
    deliveryId = (r.json() as { deliveryId: string }).deliveryId;
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const snapshot = async () =>
    (
      await sql<
        Record<string, unknown>
      >`select rule_id, subject, record_id, compared, fingerprint, owner_org_code,
        owner_org_path, status, due_date from crosscheck_findings order by rule_id, subject`.execute(t.db)
    ).rows;
  const run = (sqlRules: boolean, cmp = mixed) =>
    runComparison(t.db, cmp, list, deliveryId, { actor: 'test', today: '2021-07-01', sqlRules });
  const counts = (r: RunResult) => ({ ...r, deliveryId: undefined });

  it('gives the same findings and counts with the rules in SQL as in JavaScript, and nothing new the second time', async () => {
    await sql`delete from crosscheck_findings`.execute(t.db);
    const inSql = await run(true);
    const fromSql = await snapshot();
    await sql`delete from crosscheck_findings`.execute(t.db);
    const inJs = await run(false);
    const fromJs = await snapshot();
    expect(fromSql.length).toBeGreaterThan(10);
    expect(fromSql).toEqual(fromJs);
    expect(counts(inSql)).toEqual(counts(inJs));
    expect(inSql).toMatchObject({ rows: rows.length, created: fromSql.length, updated: 0 });
    expect(fromSql.some((f) => f.rule_id === 'sudden-unsurveyed')).toBe(true);

    for (const sqlRules of [true, false]) {
      const again = await run(sqlRules);
      expect(again).toMatchObject({ created: 0, updated: 0, reopened: 0, cleared: 0 });
      expect(await snapshot()).toEqual(fromSql);
    }
  });

  it('opens again closed findings whose values changed or that another unit owned, in SQL as in JavaScript', async () => {
    await sql`delete from crosscheck_findings`.execute(t.db);
    await run(true);
    const ids = (
      await sql<{ id: string }>`select id from crosscheck_findings order by rule_id, subject`.execute(t.db)
    ).rows.map((f) => f.id);
    expect(ids.length).toBeGreaterThan(20);
    // Four kinds, in turn: closed with other stored values (opens again), closed as it is (stays
    // closed), open with other stored values (updated), closed and owned outside the county (taken
    // over and opened again).
    const kind = (i: number) => i % 4;
    const elsewhere = '/510000/511900/511902/';
    for (const [i, id] of ids.entries()) {
      const k = kind(i);
      const stale = k === 0 || k === 2 ? `{"stale":${i}}` : undefined;
      await sql`update crosscheck_findings set status = ${k === 2 ? 'open' : 'closed'},
          resolution = ${k === 2 ? null : 'corrected'}, closed_by = ${k === 2 ? null : 'tester'},
          fingerprint = coalesce(${stale ?? null}, fingerprint), compared = coalesce(${stale ?? null}, compared),
          owner_org_path = case when ${k} = 3 then ${elsewhere} else owner_org_path end
        where id = ${id}`.execute(t.db);
    }
    const start = (await sql<Record<string, unknown>>`select * from crosscheck_findings`.execute(t.db)).rows;
    const restore = async () => {
      await sql`delete from crosscheck_findings`.execute(t.db);
      for (const f of start) {
        const cols = Object.keys(f);
        await sql`insert into crosscheck_findings (${sql.join(cols.map((c) => sql.id(c)))})
          values (${sql.join(cols.map((c) => f[c]))})`.execute(t.db);
      }
    };
    const lastAudit = async () =>
      Number(
        (await sql<{ n: number | null }>`select max(id) as n from audit_log`.execute(t.db)).rows[0]?.n ?? 0,
      );
    /** The findings opened again (by their audit entries) since `after`. */
    const reopenAudits = async (after: number) =>
      (
        await sql<{ entity_id: string }>`select entity_id from audit_log
          where action = 'crosschecks.finding.reopen' and id > ${after} order by entity_id`.execute(t.db)
      ).rows.map((e) => e.entity_id);
    let mark = await lastAudit();
    const inSql = await run(true);
    const fromSql = await snapshot();
    const auditedSql = await reopenAudits(mark);
    await restore();
    mark = await lastAudit();
    const inJs = await run(false);
    expect(await snapshot()).toEqual(fromSql);
    expect(counts(inJs)).toEqual(counts(inSql));
    expect(await reopenAudits(mark)).toEqual(auditedSql);
    const expected = ids.filter((_, i) => kind(i) === 0 || kind(i) === 3).sort();
    expect(auditedSql).toEqual(expected);
    expect(inSql).toMatchObject({
      created: 0,
      reopened: expected.length,
      updated: ids.filter((_, i) => kind(i) === 2).length,
    });
    const status = new Map(
      (
        await sql<{ id: string; status: string }>`select id, status from crosscheck_findings`.execute(t.db)
      ).rows.map((f) => [f.id, f.status]),
    );
    expect(ids.filter((id) => status.get(id) === 'closed')).toEqual(ids.filter((_, i) => kind(i) === 1));
  });

  it('writes a compared value with quotes, backslashes and Chinese as JavaScript does', async () => {
    const odd: ComparisonDefinition = {
      ...shipped,
      rules: [
        {
          id: 'odd-text',
          title: { 'zh-CN': '核对', en: 'Check' },
          type: 'review',
          severity: 'low',
          when: { '==': [{ var: 'register.key' }, TWICE] },
          compare: ['register.key', 'list.monitorType', 'match.role', 'register.inPovertyRegistry'],
          dueDays: 5,
        },
      ],
    };
    await sql`delete from crosscheck_findings`.execute(t.db);
    await run(true, odd);
    const fromSql = await snapshot();
    await sql`delete from crosscheck_findings`.execute(t.db);
    await run(false, odd);
    expect(fromSql).toEqual(await snapshot());
    expect(JSON.parse(fromSql[0]?.compared as string)).toEqual({
      'register.key': TWICE,
      'list.monitorType': 'sudden',
      'match.role': 'head',
      'register.inPovertyRegistry': false,
    });
  });

  it('matches a person in two households to the one where they are head, else the lowest record id, every time', async () => {
    const records = new Map(
      (
        await sql<{ id: string; key: string }>`select id, key from register_households`.execute(t.db)
      ).rows.map((r) => [r.key, r.id]),
    );
    for (const sqlRules of [true, false]) {
      await sql`delete from crosscheck_findings`.execute(t.db);
      await run(sqlRules, shipped);
      const found = new Map(
        (await snapshot()).filter((f) => f.rule_id === 'registry-mismatch').map((f) => [f.subject, f]),
      );
      expect(found.get(TWICE)).toMatchObject({ record_id: records.get(TWICE), owner_org_code: VILLAGE });
      const c = records.get(id(23)) as string;
      const d = records.get(id(24)) as string;
      const lowest = [c, d].sort()[0];
      expect(found.get(SHARED)).toMatchObject({
        record_id: lowest,
        owner_org_code: lowest === c ? OTHER_VILLAGE : VILLAGE,
      });
      // Listed twice: the rule held on the first row, so the finding shows that row's values.
      expect(found.get(LISTED_TWICE)).toMatchObject({
        compared: JSON.stringify({ 'list.inPovertyRegistry': true, 'register.inPovertyRegistry': false }),
      });
      const never = (await snapshot()).find((f) => f.rule_id === 'never-surveyed' && f.subject === id(31));
      expect(never).toMatchObject({
        owner_org_code: OTHER_VILLAGE,
        compared: JSON.stringify({ 'list.monitorType': 'marginal', 'list.areaCode': OTHER_VILLAGE }),
      });
    }
  });
});
