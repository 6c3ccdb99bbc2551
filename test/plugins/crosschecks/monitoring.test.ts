import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMonitoringScenario, monitoringCells } from '../../factories/monitoring-list.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import {
  COUNTY,
  crosschecksApp,
  ELSEWHERE,
  expectedFindings,
  OTHER_VILLAGE,
  seedRegister,
  VILLAGE,
} from './setup.ts';

type Json = Record<string, unknown>;
type Finding = {
  id: string;
  rule: string;
  subject: string;
  ownerOrgCode: string;
  status: string;
  compared: Json;
  resolution: string | null;
  dueDate: string;
};

const scenario = makeMonitoringScenario({
  seed: 2021,
  households: 60,
  villages: [VILLAGE, OTHER_VILLAGE],
  elsewhere: ELSEWHERE,
});
const expected = expectedFindings(scenario, COUNTY, ELSEWHERE);
const cells = monitoringCells(scenario);

describe.each(dialects())('monitoring list against the households register on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await crosschecksApp(t);
    await seedRegister(t.db, scenario.households);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const deliver = (
    rows: unknown[][],
    user: 'pingchangReviewer' | 'villageStaff' | 'chengduStaff' = 'pingchangReviewer',
  ) =>
    a.call(user, 'POST', '/api/crosschecks/lists/prr-monitoring/deliveries', {
      orgCode: COUNTY,
      fileName: 'monitoring.csv',
      rows,
    });
  const findings = async (user: 'pingchangReviewer' | 'villageStaff' = 'pingchangReviewer', query = '') => {
    const out: Finding[] = [];
    let after = '';
    for (;;) {
      const r = await a.call(
        user,
        'GET',
        `/api/crosschecks/findings?limit=500${query}${after ? `&after=${after}` : ''}`,
      );
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json() as { items: Finding[]; next: string | null };
      out.push(...page.items);
      if (!page.next) return out;
      after = page.next;
    }
  };
  const shape = (fs: Finding[]) =>
    fs
      .map((f) => ({ rule: f.rule, subject: f.subject, owner: f.ownerOrgCode }))
      .sort((x, y) => `${x.rule}${x.subject}`.localeCompare(`${y.rule}${y.subject}`));

  it('creates exactly the findings computed independently, and reports each refused row', async () => {
    expect(expected.some((e) => e.rule === 'never-surveyed')).toBe(true);
    expect(expected.some((e) => e.rule === 'registry-mismatch')).toBe(true);
    const r = await deliver(cells);
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json() as {
      accepted: number;
      rejected: number;
      errors: Json[];
      runs: Json[];
      duplicate: boolean;
    };
    expect(body).toMatchObject({ duplicate: false, accepted: scenario.rows.length, rejected: 3 });
    // Rows 4–6 of the file (header is row 1, two valid rows first).
    expect(body.errors.map((e) => [e.row, e.field])).toEqual([
      [4, '/idNumber'],
      [5, '/monitorType'],
      [6, '/areaCode'],
    ]);
    expect(body.runs[0]).toMatchObject({
      comparison: 'prr-monitoring',
      created: expected.length,
      rows: scenario.rows.length,
    });
    expect(shape(await findings())).toEqual(expected);
  });

  it('recognises the same file delivered again and creates nothing', async () => {
    const before = await findings();
    const r = await deliver(cells);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ duplicate: true, runs: [] });
    expect(await findings()).toEqual(before);
  });

  it('scopes and masks: the village sees its own findings with masked ID numbers; other counties none', async () => {
    const mine = expected.filter((e) => e.owner === VILLAGE);
    const seen = await findings('villageStaff');
    expect(seen).toHaveLength(mine.length);
    for (const f of seen) expect(f.subject).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    const other = await a.call('chengduStaff', 'GET', '/api/crosschecks/findings');
    expect((other.json() as { items: unknown[] }).items).toEqual([]);
    expect((await deliver(cells, 'chengduStaff')).statusCode).toBe(403);
  });

  it('pages the work list by due date: every finding once, in order, with the same scope, masking and filters', async () => {
    const all = await findings();
    const due = [...all].sort((x, y) => `${x.dueDate}${x.id}`.localeCompare(`${y.dueDate}${y.id}`));
    const pages = async (user: 'pingchangReviewer' | 'villageStaff', query: string) => {
      const out: Finding[][] = [];
      let after = '';
      for (;;) {
        const r = await a.call(
          user,
          'GET',
          `/api/crosschecks/findings?order=due&limit=7${query}${after ? `&after=${after}` : ''}`,
        );
        expect(r.statusCode, r.body).toBe(200);
        const page = r.json() as { items: Finding[]; next: string | null };
        out.push(page.items);
        if (!page.next) return out;
        expect(page.next).toBe(page.items.at(-1)?.id);
        after = page.next;
      }
    };
    const mine = await pages('pingchangReviewer', '');
    expect(mine.length).toBeGreaterThan(2);
    expect(mine.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect(mine.flat().map((f) => f.id)).toEqual(due.map((f) => f.id));

    const village = (await pages('villageStaff', '')).flat();
    expect(village.map((f) => f.id)).toEqual(due.filter((f) => f.ownerOrgCode === VILLAGE).map((f) => f.id));
    for (const f of village) expect(f.subject).toMatch(/^\d{4}\*{10}[\dX]{4}$/);

    const high = (await pages('pingchangReviewer', '&severity=high')).flat();
    expect(high.length).toBeGreaterThan(0);
    expect(high.map((f) => f.id)).toEqual(due.filter((f) => f.rule === 'never-surveyed').map((f) => f.id));

    // A page position that is no finding of yours is refused, pointing at the parameter.
    const outside = await a.call(
      'chengduStaff',
      'GET',
      `/api/crosschecks/findings?order=due&after=${encodeURIComponent(due[0]?.id ?? '')}`,
    );
    expect(outside.statusCode).toBe(404);
    expect((outside.json() as { errors: Json[] }).errors[0]?.path).toBe('/after');
  });

  it('closes findings by an action (a reason for not applicable), keeps them closed on a rerun, reopens one whose values changed and clears one no longer listed', async () => {
    const all = await findings();
    const review = all.find((f) => f.rule === 'registry-mismatch') as Finding;
    const survey = all.filter((f) => f.rule === 'never-surveyed');
    const [gone, changed, kept] = survey as [Finding, Finding, Finding];

    const noReason = await a.call(
      'pingchangReviewer',
      'POST',
      `/api/crosschecks/findings/${review.id}/close`,
      { action: 'not_applicable' },
    );
    expect(noReason.statusCode).toBe(422);
    expect((noReason.json() as { errors: Json[] }).errors[0]?.path).toBe('/reason');
    const closed = await a.call('pingchangReviewer', 'POST', `/api/crosschecks/findings/${review.id}/close`, {
      action: 'not_applicable',
      reason: '已核实：户籍迁出前已退出建档立卡',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    for (const f of [changed, kept]) {
      const c = await a.call('pingchangReviewer', 'POST', `/api/crosschecks/findings/${f.id}/close`, {
        action: 'survey_done',
      });
      expect(c.statusCode, c.body).toBe(200);
    }
    const again = await a.call('pingchangReviewer', 'POST', `/api/crosschecks/findings/${kept.id}/close`, {
      action: 'corrected',
    });
    expect(again.statusCode).toBe(422);

    // A new delivery: one person left the list, another's monitoring type changed.
    const next = cells
      .filter((row) => row[0] !== gone.subject)
      .map((row) =>
        row[0] === changed.subject
          ? [row[0], row[1], row[2], row[3] === 'sudden' ? 'marginal' : 'sudden', row[4]]
          : row,
      );
    const r = await deliver(next as unknown[][]);
    expect(r.statusCode, r.body).toBe(201);
    expect((r.json() as { runs: Json[] }).runs[0]).toMatchObject({ created: 0, reopened: 1, cleared: 1 });
    const after = new Map((await findings()).map((f) => [f.id, f]));
    expect(after.get(review.id)).toMatchObject({ status: 'closed', resolution: 'not_applicable' });
    expect(after.get(kept.id)).toMatchObject({ status: 'closed', resolution: 'survey_done' });
    expect(after.get(changed.id)).toMatchObject({ status: 'open', resolution: null });
    expect(after.get(gone.id)).toMatchObject({ status: 'closed', resolution: 'cleared' });
    expect(after.size).toBe(expected.length);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_type', '=', 'crosscheck_finding')
      .execute();
    expect(
      audit
        .filter((e) => e.action === 'crosschecks.finding.close')
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual([review.id, changed.id, kept.id].sort());
    expect(audit.filter((e) => e.action === 'crosschecks.finding.reopen').map((e) => e.entity_id)).toEqual([
      changed.id,
    ]);
  });

  it('reports findings per unit and type, up the hierarchy', async () => {
    const all = await findings();
    const r = await a.call('bazhongReviewer', 'GET', `/api/crosschecks/report?orgCode=${COUNTY}`);
    expect(r.statusCode, r.body).toBe(200);
    const rep = r.json() as {
      total: { findings: Record<string, { open: number; closed: number }> };
      children: Json[];
    };
    const count = (type: string, status: string) =>
      all.filter(
        (f) => f.rule === (type === 'survey' ? 'never-surveyed' : 'registry-mismatch') && f.status === status,
      ).length;
    expect(rep.total.findings.survey).toMatchObject({
      open: count('survey', 'open'),
      closed: count('survey', 'closed'),
    });
    expect(rep.total.findings.review).toMatchObject({
      open: count('review', 'open'),
      closed: count('review', 'closed'),
    });
    expect(rep.children.map((c) => c.orgCode)).toEqual(['511923102']);
    const outside = await a.call('bazhouReviewer', 'GET', `/api/crosschecks/report?orgCode=${COUNTY}`);
    expect(outside.statusCode).toBe(404);
  });
});
