import { describe, expect, it } from 'vitest';
import { createEffectRegistry } from '../../../engine/workflow/effects.ts';
import { runEffects } from '../../../engine/workflow/run-effects.ts';
import { deadlineOf, dueTimers, fireTimer, isOverdue, timerDueAt } from '../../../engine/workflow/timers.ts';
import { fakeRulesEffect, instance, moved, people, shipped } from './fixtures.ts';
import { CaseWalk } from './walk.ts';

const wf = shipped('survey-approval-fixture');

/** A survey the household and the surveyor have signed (the submit guard asks for both). */
const signedSurvey = () => ({ headName: '张三', householdSignature: 'signed', surveyorName: '李四' });

const newCase = () => new CaseWalk(wf, instance(), signedSurvey());

/** Brings a new case to `state` along the main path. */
function caseAt(state: string): CaseWalk {
  const c = newCase();
  const path: [keyof typeof people, string][] = [
    ['fieldStaff', 'submit'],
    ['townshipReviewer', 'approve'],
    ['countyReviewer', 'check'],
    ['countyReviewer', 'approve'],
  ];
  for (const [who, action] of path) {
    if (c.inst.state === state) return c;
    c.act(people[who], action);
  }
  if (c.inst.state === state) return c;
  c.wait('P7D');
  c.inst = moved(fireTimer(wf, { instance: c.inst, now: c.now, data: c.data })).next;
  if (c.inst.state !== state) throw new Error(`not on the main path: ${state}`);
  return c;
}

describe('assistance-application, end to end through the pure engine', () => {
  it('walks village → township → eligibility → county → notice → countersign → finance → bank, refusing everyone else at each step', async () => {
    const c = newCase();
    const ran: unknown[] = [];
    const effects = createEffectRegistry([fakeRulesEffect(ran)]);

    c.onlyRightful('submit', [people.fieldStaff, people.otherFieldStaff]);
    c.act(people.fieldStaff, 'submit');
    expect(c.inst.state).toBe('township_review');

    c.onlyRightful('approve', [people.townshipReviewer]);
    c.act(people.townshipReviewer, 'approve');
    expect(c.inst.state).toBe('eligibility_check');

    c.onlyRightful('check', [people.countyReviewer, people.countyReviewer2, people.countyBoth]);
    const check = c.act(people.countyReviewer, 'check');
    expect(check.effects).toEqual([{ name: 'rules.evaluate', params: { ruleset: 'household-eligibility' } }]);
    const outcomes = await runEffects(effects, check.effects, {
      submission: { data: c.data },
      instance: c.inst,
      actor: people.countyReviewer,
      input: check.record.input,
      now: c.now,
    });
    expect(outcomes).toEqual([
      { name: 'rules.evaluate', output: { eligible: true, ruleset: 'household-eligibility' } },
    ]);
    expect(ran).toHaveLength(1);
    expect(c.inst.state).toBe('county_review');

    c.onlyRightful('approve', [people.countyReviewer, people.countyReviewer2, people.countyBoth]);
    c.act(people.countyReviewer, 'approve');
    expect(c.inst.state).toBe('public_notice');
    const noticeFrom = c.inst.enteredAt;

    // Nobody may end the notice by hand: only its timer does.
    expect(c.refused(people.countyReviewer, 'notice_end')).toBe('403 NX_ERR_WF_FORBIDDEN');
    expect(timerDueAt(wf, c.inst)).toBe(new Date(Date.parse(noticeFrom) + 7 * 86_400_000).toISOString());
    c.wait('P6DT23H');
    expect(dueTimers(wf, c.inst, c.now)).toEqual([]);
    const early = fireTimer(wf, { instance: c.inst, now: c.now, data: c.data });
    expect(early.ok ? 'fired' : `${early.status} ${early.code}`).toBe('409 NX_ERR_WF_TIMER_NOT_DUE');
    c.wait('PT1H');
    expect(dueTimers(wf, c.inst, c.now)).toEqual([{ action: 'notice_end', dueAt: c.now }]);
    const fired = moved(fireTimer(wf, { instance: c.inst, now: c.now, data: c.data }));
    expect(fired.to).toBe('county_approval');
    expect(fired.record).toMatchObject({
      action: 'notice_end',
      actorId: null,
      timer: true,
      from: 'public_notice',
    });
    c.inst = fired.next;

    // Countersign: the county reviewer and the county head (admin) must both approve.
    c.onlyRightful('approve', [
      people.countyReviewer,
      people.countyReviewer2,
      people.countyAdmin,
      people.countyBoth,
    ]);
    const first = c.act(people.countyReviewer, 'approve');
    expect(first.moved).toBe(false);
    expect(first.effects).toEqual([]);
    expect(c.inst.state).toBe('county_approval');
    expect(first.record.countersign).toEqual({
      role: 'reviewer',
      approved: ['reviewer'],
      pending: ['admin'],
    });
    expect(c.refused(people.countyReviewer, 'approve')).toBe('409 NX_ERR_WF_ALREADY_APPROVED');
    expect(c.refused(people.countyReviewer2, 'approve')).toBe('409 NX_ERR_WF_ALREADY_APPROVED');
    expect(c.offered(people.countyReviewer2)).not.toContain('approve');
    expect(c.offered(people.countyAdmin)).toContain('approve');
    const second = c.act(people.countyAdmin, 'approve');
    expect(second.moved).toBe(true);
    expect(second.record.countersign).toEqual({
      role: 'admin',
      approved: ['reviewer', 'admin'],
      pending: [],
    });
    expect(c.inst).toMatchObject({ state: 'finance_allocation', approvals: [], enteredAt: c.now });

    c.onlyRightful('allocate', [people.finance], { amount: 1200 });
    expect(c.refused(people.finance, 'allocate')).toBe('422 NX_ERR_WF_INPUT_REQUIRED');
    const allocated = c.act(people.finance, 'allocate', { amount: '1200.50' });
    expect(allocated.record.input).toEqual({ amount: 1200.5 });
    expect(c.inst.state).toBe('bank_disbursement');

    const paid = { amount: 1200.5, paidOn: '2021-06-01' };
    c.onlyRightful('disburse', [people.bank], paid);
    const missingDate = c.attempt(people.bank, 'disburse', { amount: 1200.5 });
    expect(missingDate.ok ? [] : missingDate.errors?.map((e) => e.path)).toEqual(['/input/paidOn']);
    expect(c.refused(people.bank, 'disburse', { amount: 1200.5, paidOn: '2021-06-31' })).toBe(
      '422 NX_ERR_WF_INPUT_INVALID',
    );
    const done = c.act(people.bank, 'disburse', paid);
    expect(done.record).toMatchObject({
      from: 'bank_disbursement',
      to: 'disbursed',
      actorId: 'u-bank',
      input: paid,
    });
    expect(c.inst.state).toBe('disbursed');
    expect(wf.state('disbursed')?.final).toBe(true);
    for (const who of Object.values(people)) expect(c.offered(who)).toEqual([]);
    expect(c.refused(people.bank, 'disburse', paid)).toBe('409 NX_ERR_WF_NOT_IN_STATE');
  });

  it('returns a case to the village for revision, and the village resubmits it', () => {
    const c = caseAt('township_review');
    expect(c.refused(people.townshipReviewer, 'return')).toBe('422 NX_ERR_WF_INPUT_REQUIRED');
    c.onlyRightful('return', [people.townshipReviewer], { comment: '缺少户口簿信息' });
    const ret = c.act(people.townshipReviewer, 'return', { comment: '缺少户口簿信息' });
    expect(ret.record).toMatchObject({
      kind: 'return',
      from: 'township_review',
      to: 'draft',
      comment: '缺少户口簿信息',
    });
    expect(c.inst.state).toBe('draft');
    c.data = { ...c.data, registeredAddress: '平昌县江口街道金宝村' };
    c.act(people.fieldStaff, 'submit');
    expect(c.inst.state).toBe('township_review');
    c.act(people.townshipReviewer, 'approve');
    expect(c.inst.state).toBe('eligibility_check');
  });

  it('returns from county review to the village as well', () => {
    const c = caseAt('county_review');
    c.act(people.countyReviewer, 'return', { comment: '收入核算有误' });
    expect(c.inst.state).toBe('draft');
  });

  it.each([
    ['township_review', 'townshipReviewer'],
    ['eligibility_check', 'countyReviewer'],
    ['county_review', 'countyReviewer'],
    ['county_approval', 'countyAdmin'],
  ] as const)('rejects at %s (reason required), and a rejected case is closed', (state, who) => {
    const c = caseAt(state);
    expect(c.refused(people[who], 'reject')).toBe('422 NX_ERR_WF_INPUT_REQUIRED');
    const r = c.act(people[who], 'reject', { comment: '家庭人均收入高于低保标准' });
    expect(r.record.kind).toBe('reject');
    expect(c.inst.state).toBe('rejected');
    for (const p of Object.values(people)) expect(c.offered(p)).toEqual([]);
  });

  it('rejects in county approval after one countersign, clearing the approvals', () => {
    const c = caseAt('county_approval');
    c.act(people.countyReviewer, 'approve');
    expect(c.inst.approvals).toHaveLength(1);
    c.act(people.countyAdmin, 'reject', { comment: '复核不符合条件' });
    expect(c.inst).toMatchObject({ state: 'rejected', approvals: [] });
  });

  it('lets the submitter withdraw while the township has not acted, and no one else', () => {
    const c = caseAt('township_review');
    c.onlyRightful('withdraw', [people.fieldStaff]);
    expect(c.refused(people.otherFieldStaff, 'withdraw')).toBe('403 NX_ERR_WF_NOT_SUBMITTER');
    expect(c.offered(people.otherFieldStaff)).not.toContain('withdraw');
    const w = c.act(people.fieldStaff, 'withdraw');
    expect(w.record).toMatchObject({ kind: 'withdraw', from: 'township_review', to: 'draft' });

    c.act(people.fieldStaff, 'submit');
    c.act(people.townshipReviewer, 'approve');
    expect(c.refused(people.fieldStaff, 'withdraw')).toBe('409 NX_ERR_WF_NOT_IN_STATE');
    expect(c.offered(people.fieldStaff)).toEqual([]);
  });

  it('sends the case back to county review on an objection, and the notice starts afresh', () => {
    const c = caseAt('public_notice');
    const rightful = [
      people.fieldStaff,
      people.otherFieldStaff,
      people.townshipReviewer,
      people.countyReviewer,
      people.countyReviewer2,
      people.countyBoth,
    ];
    c.onlyRightful('object', rightful, { objection: '该户有营运车辆' });
    expect(c.refused(people.fieldStaff, 'object')).toBe('422 NX_ERR_WF_INPUT_REQUIRED');
    c.wait('P3D');
    c.act(people.fieldStaff, 'object', { objection: '该户有营运车辆' });
    expect(c.inst.state).toBe('county_review');
    expect(timerDueAt(wf, c.inst)).toBeNull();
    c.wait('P5D');
    expect(dueTimers(wf, c.inst, c.now)).toEqual([]);
    c.act(people.countyReviewer, 'approve');
    expect(c.inst.state).toBe('public_notice');
    c.wait('P6D');
    expect(dueTimers(wf, c.inst, c.now)).toEqual([]);
    c.wait('P1D');
    expect(dueTimers(wf, c.inst, c.now)).toHaveLength(1);
  });

  it('fires an overdue timer late rather than never (e.g. after a restart)', () => {
    const c = caseAt('public_notice');
    c.wait('P40D');
    const late = moved(fireTimer(wf, { instance: c.inst, now: c.now, data: c.data }));
    expect(late.to).toBe('county_approval');
    expect(late.next.enteredAt).toBe(c.now);
  });

  it('one person holding both roles counts once: the other role must still sign', () => {
    const c = caseAt('county_approval');
    const d = c.act(people.countyBoth, 'approve');
    expect(d.moved).toBe(false);
    expect(c.refused(people.countyBoth, 'approve')).toBe('409 NX_ERR_WF_ALREADY_APPROVED');
    expect(c.offered(people.countyAdmin)).toContain('approve');
    expect(c.act(people.countyAdmin, 'approve').to).toBe('finance_allocation');
  });

  it('refuses to submit a survey the household has not signed (guard), and does not offer it', () => {
    const c = new CaseWalk(wf, instance(), { headName: '张三', surveyorName: '李四' });
    expect(c.refused(people.fieldStaff, 'submit')).toBe('409 NX_ERR_WF_GUARD_FAILED');
    expect(c.offered(people.fieldStaff)).toEqual([]);
    c.data = { ...c.data, householdSignature: 'fingerprint' };
    expect(c.offered(people.fieldStaff)).toEqual(['submit']);
  });

  it('marks township review overdue ten days after it started, not before', () => {
    const c = caseAt('township_review');
    const due = deadlineOf(wf, c.inst);
    expect(due).not.toBeNull();
    c.wait('P10D');
    expect(isOverdue(wf, c.inst, c.now)).toBe(false);
    c.wait('PT1M');
    expect(isOverdue(wf, c.inst, c.now)).toBe(true);
    c.act(people.townshipReviewer, 'approve');
    expect(deadlineOf(wf, c.inst)).toBeNull();
    expect(isOverdue(wf, c.inst, c.now)).toBe(false);
  });
});
