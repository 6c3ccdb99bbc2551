import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import {
  effectSwitch,
  householdData,
  plusDays,
  type WorkflowTestApp,
  workflowApp,
} from '../workflow-store/setup.ts';

interface Task {
  submissionId: string;
  state: string;
  actions: { action: string; countersign?: { pending: string[]; completes: boolean } }[];
  overdue: boolean;
  timerDueAt: string | null;
}
interface History {
  items: {
    action: string;
    from: string;
    to: string;
    actor: string | null;
    comment: string | null;
    effects: { name: string; output: unknown }[];
    label: { 'zh-CN': string; en: string };
    kind: string;
    fromLabel: { 'zh-CN': string; en: string };
    toLabel: { 'zh-CN': string; en: string };
    actorName: string | null;
  }[];
}

describe.each(dialects())('assistance-application through the HTTP API on $name', (dialect) => {
  let t: TestDatabase;
  let w: WorkflowTestApp;
  beforeAll(async () => {
    t = await dialect.open();
    w = await workflowApp(t);
  });
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
  });

  const create = async (status: 'draft' | 'submitted', user = 'baiyicun.staff') => {
    const r = await w.call(user, 'POST', '/api/forms/household-survey/submissions', {
      data: householdData(),
      status,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; version: number; status: string }>();
  };
  const act = (user: string, id: string, action: string, body: Record<string, unknown> = {}) =>
    w.call(user, 'POST', `/api/submissions/${id}/actions/${action}`, body);
  const expectAct = async (user: string, id: string, action: string, status: number, body = {}) => {
    const r = await act(user, id, action, body);
    expect(r.statusCode, `${user} ${action}: ${r.body}`).toBe(status);
    return r.json<{ state: string; moved: boolean; code: string }>();
  };
  const tasksOf = async (user: string, query = '') =>
    (await w.call(user, 'GET', `/api/tasks${query}`)).json<{ items: Task[] }>().items;
  const stateOf = async (id: string) =>
    (await w.call('admin', 'GET', `/api/submissions/${id}/history`)).json<History>().items.at(-1)?.to;

  it('walks from the village to the bank; each step refuses the wrong level (403) and outsiders (404)', async () => {
    const draft = await create('draft');
    expect(draft.status).toBe('draft');
    // The draft is the village worker's task; nobody upstream sees it yet.
    expect((await tasksOf('baiyicun.staff')).map((x) => x.submissionId)).toContain(draft.id);
    expect(await tasksOf('baiyi.reviewer')).toEqual([]);

    // Submit: by the plain write (PATCH to submitted), as the village worker.
    await expectAct('baiyi.reviewer', draft.id, 'submit', 403);
    await expectAct('jiangkou.reviewer', draft.id, 'submit', 404);
    const submitted = await w.call('baiyicun.staff', 'PATCH', `/api/submissions/${draft.id}`, {
      status: 'submitted',
      version: draft.version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(await stateOf(draft.id)).toBe('township_review');
    const id = draft.id;

    // Township review.
    const townshipTasks = await tasksOf('baiyi.reviewer');
    expect(
      townshipTasks
        .find((x) => x.submissionId === id)
        ?.actions.map((a) => a.action)
        .sort(),
    ).toEqual(['approve', 'reject', 'return']);
    await expectAct('pingchang.reviewer', id, 'approve', 403);
    await expectAct('jiangkou.reviewer', id, 'approve', 404);
    await expectAct('chengdu.reviewer', id, 'approve', 404);
    expect((await expectAct('baiyi.reviewer', id, 'approve', 200)).state).toBe('eligibility_check');

    // Eligibility check runs the rules plugin's effect; its decision is in the history.
    await expectAct('baiyi.reviewer', id, 'check', 403);
    await expectAct('tongjiang.reviewer', id, 'check', 404);
    expect((await expectAct('pingchang.reviewer', id, 'check', 200)).state).toBe('county_review');
    const afterCheck = (
      await w.call('pingchang.reviewer', 'GET', `/api/submissions/${id}/history`)
    ).json<History>();
    const checkLine = afterCheck.items.find((h) => h.action === 'check');
    expect(checkLine?.effects[0]?.name).toBe('rules.evaluate');
    expect(checkLine?.effects[0]?.output).toHaveProperty('decision');

    // County review → public notice with a 7-day timer.
    await expectAct('bazhong.reviewer', id, 'approve', 403);
    await expectAct('tongjiang.reviewer', id, 'approve', 404);
    const approvedAt = w.now;
    expect((await expectAct('pingchang.reviewer', id, 'approve', 200)).state).toBe('public_notice');
    await expectAct('bazhong.reviewer', id, 'object', 403, { input: { objection: '收入不实' } });

    // The timer does not fire before seven days, fires once after, with no actor.
    expect(await w.app.workflows.runDueTimers(plusDays(approvedAt, 6.9))).toEqual([]);
    expect(await stateOf(id)).toBe('public_notice');
    const fired = await w.app.workflows.runDueTimers(plusDays(approvedAt, 7.01));
    expect(fired.map((f) => [f.submissionId, f.action, f.to])).toEqual([
      [id, 'notice_end', 'county_approval'],
    ]);
    expect(await w.app.workflows.runDueTimers(plusDays(approvedAt, 8))).toEqual([]);
    const timerLine = (await w.call('admin', 'GET', `/api/submissions/${id}/history`))
      .json<History>()
      .items.at(-1);
    expect(timerLine).toMatchObject({ action: 'notice_end', actor: null, from: 'public_notice' });
    // In words, for the pages' sentences: a timer is said to be one, with no name.
    expect(timerLine).toMatchObject({
      kind: 'timer',
      actorName: null,
      label: { 'zh-CN': '公示期满无异议', en: 'Notice period ended without objection' },
    });

    // Countersign: the county reviewer and the county head must both approve.
    const first = await expectAct('pingchang.reviewer', id, 'approve', 200);
    expect(first).toMatchObject({ moved: false, state: 'county_approval' });
    expect((await expectAct('pingchang.reviewer', id, 'approve', 409)).code).toBe(
      'NX_ERR_WF_ALREADY_APPROVED',
    );
    await expectAct('bazhong.reviewer', id, 'approve', 403);
    const headTask = (await tasksOf('pingchang.head')).find((x) => x.submissionId === id);
    expect(headTask?.actions.find((a) => a.action === 'approve')?.countersign).toEqual({
      pending: ['admin'],
      completes: true,
    });
    expect(await expectAct('pingchang.head', id, 'approve', 200)).toMatchObject({
      moved: true,
      state: 'finance_allocation',
    });

    // Finance allocates an amount; the bank records the payment.
    await expectAct('pingchang.bank', id, 'allocate', 403, { input: { amount: 500 } });
    expect((await expectAct('pingchang.finance', id, 'allocate', 422)).code).toBe('NX_ERR_WF_INPUT_REQUIRED');
    await expectAct('pingchang.finance', id, 'allocate', 200, { input: { amount: '530.50' } });
    await expectAct('pingchang.finance', id, 'disburse', 403, {
      input: { amount: 530.5, paidOn: '2021-06-20' },
    });
    expect(
      (
        await expectAct('pingchang.bank', id, 'disburse', 200, {
          input: { amount: 530.5, paidOn: '2021-06-20' },
        })
      ).state,
    ).toBe('disbursed');

    const history = (await w.call('baiyicun.staff', 'GET', `/api/submissions/${id}/history`)).json<History>();
    expect(history.items.map((h) => `${h.action}:${h.to}`)).toEqual([
      'submit:township_review',
      'approve:eligibility_check',
      'check:county_review',
      'approve:public_notice',
      'notice_end:county_approval',
      'approve:county_approval',
      'approve:finance_allocation',
      'allocate:bank_disbursement',
      'disburse:disbursed',
    ]);
    expect(history.items.at(-1)).toMatchObject({ actor: 'pingchang.bank' });
    // Who, what and where in words: the actor's name, the step and both states' labels.
    expect(history.items[0]).toMatchObject({
      label: { 'zh-CN': '提交', en: 'Submit' },
      kind: 'normal',
      toLabel: { 'zh-CN': '乡镇审核', en: 'Township review' },
      actorName: '白衣村工作人员',
    });
    expect(history.items.at(-1)).toMatchObject({
      label: { 'zh-CN': '登记发放', en: 'Record disbursement' },
      actorName: '平昌县代理金融机构',
    });
    expect((await w.call('chengdu.reviewer', 'GET', `/api/submissions/${id}/history`)).statusCode).toBe(404);
    // The audit trail of the submission carries every transition too.
    const auditReply = await w.call('admin', 'GET', `/api/submissions/${id}/audit`);
    expect(auditReply.statusCode, auditReply.body).toBe(200);
    const audit = auditReply.json<{
      items: { action: string }[];
    }>();
    expect(audit.items.filter((a) => a.action.startsWith('workflow.')).length).toBe(history.items.length + 1);
  });

  it('withdraw by the submitter only, return with a reason then edit and resubmit, edits locked in review, reject', async () => {
    const s = await create('submitted');
    expect(await stateOf(s.id)).toBe('township_review');
    // In review the submission cannot be edited.
    const locked = await w.call('baiyicun.staff', 'PATCH', `/api/submissions/${s.id}`, {
      data: { surveyorName: '王五' },
      version: s.version,
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.json<{ code: string }>().code).toBe('NX_ERR_WF_CASE_LOCKED');

    expect((await expectAct('baiyicun.staff2', s.id, 'withdraw', 403)).code).toBe('NX_ERR_WF_NOT_SUBMITTER');
    expect((await expectAct('baiyicun.staff', s.id, 'withdraw', 200)).state).toBe('draft');
    expect(
      (await w.call('baiyicun.staff', 'GET', `/api/submissions/${s.id}`)).json<{ status: string }>().status,
    ).toBe('draft');
    await expectAct('baiyicun.staff', s.id, 'submit', 200);

    // Return: the reason is required, and the case goes back to the village as an editable draft.
    await expectAct('pingchang.reviewer', s.id, 'return', 403, { comment: '缺少签名' });
    expect((await expectAct('baiyi.reviewer', s.id, 'return', 422)).code).toBe('NX_ERR_WF_INPUT_REQUIRED');
    await expectAct('baiyi.reviewer', s.id, 'return', 200, { comment: '家庭成员收入不全' });
    const back = (await w.call('baiyicun.staff', 'GET', `/api/submissions/${s.id}`)).json<{
      version: number;
      status: string;
    }>();
    expect(back.status).toBe('draft');
    const edited = await w.call('baiyicun.staff', 'PATCH', `/api/submissions/${s.id}`, {
      data: { surveyorName: '王五' },
      status: 'submitted',
      version: back.version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await stateOf(s.id)).toBe('township_review');

    // Once the township approved, the village can no longer withdraw.
    await expectAct('baiyi.reviewer', s.id, 'approve', 200);
    expect((await expectAct('baiyicun.staff', s.id, 'withdraw', 409)).code).toBe('NX_ERR_WF_NOT_IN_STATE');

    // Reject at the county with a reason: final, nothing more can be done.
    await expectAct('baiyi.reviewer', s.id, 'reject', 403, { comment: '不符合条件' });
    expect(
      (await expectAct('pingchang.reviewer', s.id, 'reject', 200, { comment: '不符合条件' })).state,
    ).toBe('rejected');
    await expectAct('pingchang.reviewer', s.id, 'check', 409);
    const history = (
      await w.call('baiyicun.staff', 'GET', `/api/submissions/${s.id}/history`)
    ).json<History>();
    expect(history.items.map((h) => h.action)).toEqual([
      'submit',
      'withdraw',
      'submit',
      'return',
      'submit',
      'approve',
      'reject',
    ]);
    expect(history.items[3]).toMatchObject({
      actor: 'baiyi.reviewer',
      comment: '家庭成员收入不全',
      to: 'draft',
    });
  });

  it('an objection during the public notice sends the case back to county review and stops the timer', async () => {
    const s = await create('submitted');
    await expectAct('baiyi.reviewer', s.id, 'approve', 200);
    await expectAct('pingchang.reviewer', s.id, 'check', 200);
    const at = w.now;
    await expectAct('pingchang.reviewer', s.id, 'approve', 200);
    expect((await tasksOf('baiyi.reviewer')).find((x) => x.submissionId === s.id)?.timerDueAt).toBe(
      plusDays(at, 7),
    );
    expect((await expectAct('baiyi.reviewer', s.id, 'object', 422)).code).toBe('NX_ERR_WF_INPUT_REQUIRED');
    expect(
      (await expectAct('baiyicun.staff', s.id, 'object', 200, { input: { objection: '家中有经营性车辆' } }))
        .state,
    ).toBe('county_review');
    const fired = await w.app.workflows.runDueTimers(plusDays(at, 30));
    expect(fired.map((f) => f.submissionId)).not.toContain(s.id);
    expect(await stateOf(s.id)).toBe('county_review');
  });

  it('a racing double approval: exactly one wins, the other gets 409 and nothing else changes', async () => {
    const s = await create('submitted');
    const [a, b] = await Promise.all([
      act('baiyi.reviewer', s.id, 'approve'),
      act('baiyi.reviewer2', s.id, 'approve'),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const history = (await w.call('admin', 'GET', `/api/submissions/${s.id}/history`)).json<History>();
    expect(history.items.map((h) => h.action)).toEqual(['submit', 'approve']);
  });

  it('a failing effect rolls back the move, its own writes and the history line', async () => {
    const s = await create('submitted');
    await expectAct('baiyi.reviewer', s.id, 'approve', 200);
    const effectRows = async () =>
      (
        await t.db
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', 'test.effect')
          .where('entity_id', '=', s.id)
          .execute()
      ).length;
    effectSwitch.failNext = true;
    expect((await expectAct('pingchang.reviewer', s.id, 'check', 500)).code).toBe('NX_ERR_WF_EFFECT_FAILED');
    expect(await stateOf(s.id)).toBe('eligibility_check');
    expect(await effectRows()).toBe(0);
    // The same action succeeds once the effect works, and its write is kept with the move.
    expect((await expectAct('pingchang.reviewer', s.id, 'check', 200)).state).toBe('county_review');
    expect(await effectRows()).toBe(1);
  });

  it('bulk: one action on many cases, a result per case', async () => {
    const one = await create('submitted');
    const two = await create('submitted');
    const draft = await create('draft');
    const r = await w.call('baiyi.reviewer', 'POST', '/api/tasks/bulk', {
      action: 'approve',
      submissionIds: [one.id, two.id, draft.id, 'no-such-case'],
      comment: '批量审核',
    });
    expect(r.statusCode, r.body).toBe(200);
    const results = r.json<{
      results: { submissionId: string; ok: boolean; status?: number; state?: string }[];
    }>().results;
    expect(results.map((x) => [x.ok, x.state ?? x.status])).toEqual([
      [true, 'eligibility_check'],
      [true, 'eligibility_check'],
      [false, 409],
      [false, 404],
    ]);
    const outsider = await w.call('jiangkou.reviewer', 'POST', '/api/tasks/bulk', {
      action: 'check',
      submissionIds: [one.id],
    });
    expect(outsider.json<{ results: { status: number }[] }>().results[0]?.status).toBe(404);
  });

  it('filters tasks by state and form, and flags overdue ones', async () => {
    const s = await create('submitted');
    const inReview = await tasksOf('baiyi.reviewer', '?state=township_review&form=household-survey');
    expect(inReview.map((x) => x.submissionId)).toContain(s.id);
    expect(inReview.every((x) => x.state === 'township_review')).toBe(true);
    expect(await tasksOf('baiyi.reviewer', '?form=visit-statistics')).toEqual([]);
    expect(inReview.find((x) => x.submissionId === s.id)?.overdue).toBe(false);
    const saved = w.now;
    w.now = plusDays(saved, 11); // township review has a 10-day deadline
    expect((await tasksOf('baiyi.reviewer')).find((x) => x.submissionId === s.id)?.overdue).toBe(true);
    w.now = saved;
  });
});
