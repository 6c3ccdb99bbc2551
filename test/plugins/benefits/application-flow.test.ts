import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkflowTables } from '../../../engine/workflow-store/tables.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { application, type BenefitsApp, benefitsApp, plusDays, poorFamily, wellOffFamily } from './setup.ts';

interface BenefitView {
  id: string;
  type: string;
  amountCents: number;
  status: string;
  decisionId: string | null;
  applicationId: string;
  startMonth: string;
  householdKey: string;
  version: number;
}

describe.each(dialects())('applications and benefits through the server on $name', (dialect) => {
  let t: TestDatabase;
  let w: BenefitsApp;
  beforeAll(async () => {
    t = await dialect.open();
    w = await benefitsApp(t);
  }, 60_000);
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
  });

  const survey = async (data: Record<string, unknown>) => {
    const r = await w.call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
      data,
      status: 'submitted',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const apply = async (data: Record<string, unknown>) =>
    w.call('baiyicun.staff', 'POST', '/api/forms/assistance-application/submissions', {
      data,
      status: 'submitted',
    });
  const act = async (user: string, id: string, action: string, body: unknown = {}) =>
    w.call(user, 'POST', `/api/submissions/${id}/actions/${action}`, body);
  const ok = async (user: string, id: string, action: string, body: unknown = {}) => {
    const r = await act(user, id, action, body);
    expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    return r.json<{
      state: string;
      record: { effects: { name: string; output: Record<string, unknown> }[] };
    }>();
  };
  const stateOf = async (id: string) =>
    (
      await withWorkflowTables(t.db)
        .selectFrom('workflow_instances')
        .select('state')
        .where('submission_id', '=', id)
        .executeTakeFirst()
    )?.state;
  const benefitsOf = async (user: string, key: string) =>
    (await w.call(user, 'GET', `/api/plugins/benefits/benefits?household=${key}`)).json<{
      items: BenefitView[];
    }>().items;
  /** Submitted, through the township and the check, to county review; returns the check's effect output. */
  const toCountyReview = async (id: string) => {
    await ok('baiyi.reviewer', id, 'approve');
    const check = await ok('pingchang.reviewer', id, 'check');
    return check.record.effects[0]?.output ?? {};
  };
  /** Through the notice period (the timer) to county approval. */
  const throughNotice = async (id: string) => {
    await ok('pingchang.reviewer', id, 'approve');
    expect(await stateOf(id)).toBe('public_notice');
    const fired = await w.app.workflows.runDueTimers(plusDays(w.now, 7.01));
    expect(fired.map((f) => f.submissionId)).toContain(id);
    expect(await stateOf(id)).toBe('county_approval');
  };

  it('a survey starts no case; an application for an unknown household is refused with a code', async () => {
    const data = poorFamily(21);
    const s = await survey(data);
    expect(await stateOf(s)).toBeUndefined();
    const tasks = (await w.call('baiyi.reviewer', 'GET', '/api/tasks')).json<{ items: unknown[] }>().items;
    expect(tasks).toEqual([]);

    const stranger = { ...data, headIdNumber: '511923195001011236' };
    const r = await apply(application(stranger));
    expect(r.statusCode, r.body).toBe(422);
    const body = r.json<{ code: string; errors: { path: string }[] }>();
    expect(body.code).toBe('NX_ERR_BENEFITS_HOUSEHOLD_UNKNOWN');
    expect(body.errors[0]?.path).toBe('/headIdNumber');
  });

  it('approval creates exactly one benefit with the amount frozen from the decision of the approval date', async () => {
    const data = poorFamily(22);
    await survey(data);
    const r = await apply(application(data));
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json<{ id: string }>().id;
    expect(await stateOf(id)).toBe('township_review');
    const proposed = await toCountyReview(id);
    expect(proposed.proposedAmount).toBeGreaterThan(0);
    await throughNotice(id);
    w.now = plusDays(w.now, 8);
    const first = await ok('pingchang.reviewer', id, 'approve');
    expect(first.state).toBe('county_approval');
    const done = await ok('pingchang.head', id, 'approve');
    expect(done.state).toBe('approved');
    const created = done.record.effects.find((e) => e.name === 'benefits.create')?.output ?? {};
    const items = await benefitsOf('pingchang.reviewer', String(data.headIdNumber));
    expect(items).toHaveLength(1);
    const [b] = items as [BenefitView];
    expect(b).toMatchObject({ type: 'dibao', status: 'active', applicationId: id, startMonth: '2021-07' });
    expect(b.amountCents).toBe(Math.round(Number(created.amount) * 100));
    expect(b.amountCents).toBe(Math.round(Number(proposed.proposedAmount) * 100));
    expect(b.decisionId).toBe(created.decisionId);
    expect(b.decisionId).not.toBeNull();
    // A second approval cannot happen (final state), so no second benefit.
    expect((await act('pingchang.head', id, 'approve')).statusCode).toBe(409);
    expect(await benefitsOf('pingchang.reviewer', String(data.headIdNumber))).toHaveLength(1);
  });

  it('refuses approving a monthly benefit of 0, with a code saying why', async () => {
    const data = wellOffFamily(23);
    await survey(data);
    const id = (await apply(application(data))).json<{ id: string }>().id;
    const proposed = await toCountyReview(id);
    expect(proposed.proposedAmount).toBe(0);
    const r = await act('pingchang.reviewer', id, 'approve');
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json<{ code: string }>().code).toBe('NX_ERR_BENEFITS_ZERO_AMOUNT');
    expect(await stateOf(id)).toBe('county_review');
  });

  it('临时救助 skips the notice and pays the amount requested once', async () => {
    const data = wellOffFamily(24);
    await survey(data);
    const r = await apply(application(data, 'linshi', { amountRequested: 1500, emergencyReason: '住院' }));
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json<{ id: string }>().id;
    await toCountyReview(id);
    expect((await act('pingchang.reviewer', id, 'approve')).statusCode).toBe(409);
    await ok('pingchang.reviewer', id, 'grant');
    expect(await stateOf(id)).toBe('county_approval');
    await ok('pingchang.reviewer', id, 'approve');
    await ok('pingchang.head', id, 'approve');
    const [b] = await benefitsOf('pingchang.reviewer', String(data.headIdNumber));
    expect(b).toMatchObject({ type: 'linshi', amountCents: 150000, status: 'active' });
  });

  it('特困 is paid its own standard (tekun-support), not the 低保 entitlement; the 公示 list shows that amount', async () => {
    const data = poorFamily(31);
    const surveyId = await survey(data);
    const id = (await apply(application(data, 'tekun'))).json<{ id: string }>().id;
    const proposed = await toCountyReview(id);
    await ok('pingchang.reviewer', id, 'approve');
    const notice = await w.call(
      'pingchang.reviewer',
      'GET',
      '/api/reports/public-notice?format=json&org=511923',
    );
    expect(notice.statusCode, notice.body).toBe(200);
    const masked = `${String(data.headIdNumber).slice(0, 4)}**********${String(data.headIdNumber).slice(-4)}`;
    const row = notice
      .json<{ rows: { kind: string; cells: Record<string, unknown> }[] }>()
      .rows.find((x) => x.kind === 'data' && x.cells.idNumber === masked);
    expect(row?.cells.amount).toBe(proposed.proposedAmount);
    const fired = await w.app.workflows.runDueTimers(plusDays(w.now, 7.01));
    expect(fired.map((f) => f.submissionId)).toContain(id);
    w.now = plusDays(w.now, 8);
    await ok('pingchang.reviewer', id, 'approve');
    const done = await ok('pingchang.head', id, 'approve');
    expect(done.state).toBe('approved');
    const [b] = await benefitsOf('pingchang.reviewer', String(data.headIdNumber));
    expect(b).toMatchObject({ type: 'tekun', status: 'active', applicationId: id });
    const asOf = w.now.slice(0, 10);
    type Decided = {
      decided: {
        status: string;
        decision: { parameters: Record<string, { value: number }>; outputs: Record<string, unknown> };
      };
    };
    const decidedBy = async (ruleset: string) =>
      (
        await w.call('pingchang.reviewer', 'GET', `/api/rules/${ruleset}/decisions/${surveyId}?asOf=${asOf}`)
      ).json<Decided>().decided.decision;
    const tekun = await decidedBy('tekun-support');
    const dibao = await decidedBy('household-eligibility');
    const standard = tekun.parameters.standard?.value ?? 0;
    // The standard × the persons of the household, not the gap to the 低保 standard.
    expect(b?.amountCents).toBe(Math.round(standard * 100) * Number(data.householdSize));
    expect(b?.amountCents).toBe(Math.round(Number(tekun.outputs.supportAmount) * 100));
    expect(b?.amountCents).not.toBe(Math.round(Number(dibao.outputs.entitlement) * 100));
    expect(standard).toBeGreaterThan(dibao.parameters.standard?.value ?? Number.POSITIVE_INFINITY);
    expect(b?.decisionId).not.toBeNull();
    const approvedList = await w.call(
      'pingchang.reviewer',
      'GET',
      '/api/reports/approved-list?format=json&org=511923',
    );
    expect(approvedList.statusCode, approvedList.body).toBe(200);
    const listed = approvedList
      .json<{ rows: { kind: string; cells: Record<string, unknown> }[] }>()
      .rows.find(
        (x) => x.kind === 'data' && String(x.cells.idNumber).endsWith(String(data.headIdNumber).slice(-4)),
      );
    expect(listed?.cells.monthlyAmount).toBe((b?.amountCents ?? 0) / 100);
  });

  it('the 公示 list shows cases in their notice period with the proposed amount, masked; never a rejected family or one that did not apply', async () => {
    const inNotice = poorFamily(25);
    const rejected = poorFamily(26);
    const neverApplied = poorFamily(27);
    for (const d of [inNotice, rejected, neverApplied]) await survey(d);
    const a = (await apply(application(inNotice))).json<{ id: string }>().id;
    const b = (await apply(application(rejected))).json<{ id: string }>().id;
    const proposed = await toCountyReview(a);
    await ok('pingchang.reviewer', a, 'approve');
    await toCountyReview(b);
    await ok('pingchang.reviewer', b, 'reject', { comment: '家庭收入超过标准' });
    const r = await w.call('pingchang.reviewer', 'GET', '/api/reports/public-notice?format=json&org=511923');
    expect(r.statusCode, r.body).toBe(200);
    const rows = r
      .json<{ rows: { kind: string; cells: Record<string, unknown> }[] }>()
      .rows.filter((x) => x.kind === 'data');
    const ids = rows.map((x) => x.cells.idNumber);
    const masked = (d: Record<string, unknown>) =>
      `${String(d.headIdNumber).slice(0, 4)}**********${String(d.headIdNumber).slice(-4)}`;
    expect(ids).toContain(masked(inNotice));
    expect(ids).not.toContain(masked(rejected));
    expect(ids).not.toContain(masked(neverApplied));
    expect(ids.every((x) => /^\d{4}\*{10}[\dX]{4}$/.test(String(x)))).toBe(true);
    const row = rows.find((x) => x.cells.idNumber === masked(inNotice));
    expect(row?.cells.amount).toBe(proposed.proposedAmount);
    expect(row?.cells.assistanceType).toBe('最低生活保障（低保，按月）');

    // 长期公示: the current recipients come from active benefits (the family approved earlier, with
    // its frozen amount); the families in notice, rejected or never applied are not recipients.
    const cur = await w.call(
      'pingchang.reviewer',
      'GET',
      '/api/reports/recipients-notice?format=json&org=511923&asOf=2021-07-15',
    );
    expect(cur.statusCode, cur.body).toBe(200);
    const recipients = cur
      .json<{ rows: { kind: string; cells: Record<string, unknown> }[] }>()
      .rows.filter((x) => x.kind === 'data');
    const recIds = recipients.map((x) => x.cells.idNumber);
    expect(recIds).toContain(masked(poorFamily(22)));
    for (const d of [inNotice, rejected, neverApplied]) expect(recIds).not.toContain(masked(d));
    expect(recIds.every((x) => /^\d{4}\*{10}[\dX]{4}$/.test(String(x)))).toBe(true);
    // A one-off 临时救助 is not a standing benefit: not on the long-term notice, even in its month.
    const [oneOff] = await benefitsOf('pingchang.reviewer', String(wellOffFamily(24).headIdNumber));
    expect(oneOff?.type).toBe('linshi');
    const inItsMonth = await w.call(
      'pingchang.reviewer',
      'GET',
      `/api/reports/recipients-notice?format=json&org=511923&asOf=${oneOff?.startMonth}-15`,
    );
    expect(inItsMonth.statusCode, inItsMonth.body).toBe(200);
    expect(
      inItsMonth
        .json<{ rows: { kind: string; cells: Record<string, unknown> }[] }>()
        .rows.map((x) => x.cells.idNumber),
    ).not.toContain(masked(wellOffFamily(24)));
  });

  it('幸福清单: an approved family is told its benefit; a rejected family or one that never applied gets none', async () => {
    const surveyOf = async (d: Record<string, unknown>) => {
      const r = await w.call(
        'pingchang.reviewer',
        'GET',
        `/api/forms/household-survey/submissions?field.headIdNumber=${String(d.headIdNumber)}`,
      );
      return String(r.json<{ items: { id: string }[] }>().items[0]?.id);
    };
    const notice = (user: string, id: string) =>
      w.call(
        user,
        'GET',
        `/api/reports/family-notice?format=json&org=511923&period=2021-07&submission=${id}`,
      );

    const approved = await notice('pingchang.reviewer', await surveyOf(poorFamily(22)));
    expect(approved.statusCode, approved.body).toBe(200);
    const [benefit] = await benefitsOf('pingchang.reviewer', String(poorFamily(22).headIdNumber));
    const ctx = approved.json<{
      assistance: { item: string; amount: string }[];
      family: { idNumber: string };
    }>();
    expect(ctx.assistance).toEqual([
      { item: '最低生活保障（低保）', amount: `${((benefit?.amountCents ?? 0) / 100).toFixed(2)} 元/月` },
    ]);
    // Without pii the same notice, its identifiers masked.
    const masked = await notice('province.viewer', await surveyOf(poorFamily(22)));
    expect(masked.statusCode, masked.body).toBe(200);
    expect(masked.body).not.toContain(String(poorFamily(22).headIdNumber));

    for (const d of [poorFamily(26), poorFamily(27)]) {
      const r = await notice('pingchang.reviewer', await surveyOf(d));
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json<{ code: string }>().code).toBe('NX_ERR_REPORT_NOTHING_TO_NOTIFY');
    }
  });

  it('finance and the bank change no amount: not through the benefit routes, not through the workflow, not by editing the application', async () => {
    const data = poorFamily(28);
    await survey(data);
    const id = (await apply(application(data))).json<{ id: string }>().id;
    await toCountyReview(id);
    await throughNotice(id);
    await ok('pingchang.reviewer', id, 'approve');
    await ok('pingchang.head', id, 'approve');
    const [b] = await benefitsOf('pingchang.finance', String(data.headIdNumber));
    expect(b?.status).toBe('active');
    const before = b?.amountCents;
    for (const user of ['pingchang.finance', 'pingchang.bank']) {
      for (const action of ['adjust', 'suspend', 'resume', 'stop']) {
        const r = await w.call(user, 'POST', `/api/plugins/benefits/benefits/${b?.id}/${action}`, {
          reason: '调整',
          amount: 5000,
        });
        expect(r.statusCode, `${user} ${action}`).toBe(403);
      }
      // No workflow action of the application is theirs, and a closed case takes none.
      for (const action of ['approve', 'allocate', 'disburse'])
        expect(
          (await act(user, id, action, { input: { amount: 7777.77 } })).statusCode,
        ).toBeGreaterThanOrEqual(400);
      const patch = await w.call(user, 'PATCH', `/api/submissions/${id}`, {
        data: { ...application(data, 'linshi', { amountRequested: 5000, emergencyReason: 'x' }) },
      });
      expect(patch.statusCode).toBeGreaterThanOrEqual(400);
    }
    // A township reviewer is civil affairs but not the county: refused too.
    expect(
      (
        await w.call('baiyi.reviewer', 'POST', `/api/plugins/benefits/benefits/${b?.id}/adjust`, {
          reason: '调整',
          amount: 5000,
        })
      ).statusCode,
    ).toBe(403);
    const [after] = await benefitsOf('pingchang.reviewer', String(data.headIdNumber));
    expect(after?.amountCents).toBe(before);
    expect(after?.version).toBe(1);

    // The county adjusts, with a reason; without one it is refused.
    const url = `/api/plugins/benefits/benefits/${b?.id}`;
    const noReason = await w.call('pingchang.reviewer', 'POST', `${url}/adjust`, { amount: 300 });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json<{ code: string }>().code).toBe('NX_ERR_BENEFITS_INVALID_CHANGE');
    const adj = await w.call('pingchang.reviewer', 'POST', `${url}/adjust`, {
      amount: 300,
      reason: '复核后调整',
      effectiveMonth: '2021-09',
    });
    expect(adj.statusCode, adj.body).toBe(200);
    expect(adj.json<{ amountCents: number }>().amountCents).toBe(30000);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity_type', '=', 'benefit')
      .where('entity_id', '=', String(b?.id))
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'benefit.create', actor: 'pingchang.head' },
      { action: 'benefit.adjust', actor: 'pingchang.reviewer' },
    ]);
  });
});
