import { describe, expect, it } from 'vitest';
import { codes } from '../../../engine/errors/codes.ts';
import { compileWorkflow } from '../../../engine/workflow/compile-workflow.ts';
import { loadWorkflow } from '../../../engine/workflow/load-workflow.ts';
import { availableActions, decide } from '../../../engine/workflow/machine.ts';
import type { WorkflowDefinition } from '../../../engine/workflow/workflow-schema.ts';
import { actor, instance, ORG, people } from './fixtures.ts';

const t = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** A workflow exercising inputs, withdraw from a countersigned state and a guard on ctx. */
function testWorkflow(): WorkflowDefinition {
  return {
    id: 'machine-test',
    version: 1,
    title: t('测试', 'Test'),
    form: 'household-survey',
    initial: 'draft',
    states: {
      draft: { label: t('草稿', 'Draft') },
      review: { label: t('审核', 'Review') },
      done: { label: t('完成', 'Done'), final: true },
    },
    transitions: [
      {
        action: 'submit',
        label: t('提交', 'Submit'),
        from: 'draft',
        to: 'review',
        by: [{ role: 'field_staff', level: 'village' }],
        guard: { '<=': [{ var: 'ctx.today' }, '2021-12-31'] },
        input: [
          { id: 'amount', type: 'money', label: t('金额', 'Amount'), required: true },
          { id: 'count', type: 'integer', label: t('人数', 'Count') },
          { id: 'on', type: 'date', label: t('日期', 'Date') },
        ],
      },
      {
        action: 'withdraw',
        label: t('撤回', 'Withdraw'),
        kind: 'withdraw',
        from: 'review',
        to: 'draft',
        by: [{ role: 'field_staff', level: 'village' }],
      },
      {
        action: 'approve',
        label: t('同意', 'Approve'),
        from: 'review',
        to: 'done',
        by: [
          { role: 'reviewer', level: 'county' },
          { role: 'admin', level: 'county' },
        ],
        countersign: { roles: ['reviewer', 'admin'] },
      },
    ],
  };
}

const loaded = loadWorkflow(testWorkflow());
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const wf = compileWorkflow(loaded.value);
const ctx = { today: '2021-06-01' };
const now = '2021-06-01T02:00:00.000Z';
const submit = (input: Record<string, unknown>) =>
  decide(wf, { instance: instance(), actor: people.fieldStaff, action: 'submit', input, now, ctx });

describe('decide', () => {
  it('answers 404 outside the subtree before anything else, and 404 for an action the workflow lacks', () => {
    const outsider = decide(wf, {
      instance: instance(),
      actor: people.siblingFieldStaff,
      action: 'nonsense',
      now,
    });
    expect(outsider).toMatchObject({ ok: false, status: 404, code: 'NX_ERR_WF_OUTSIDE_SCOPE' });
    const unknown = decide(wf, { instance: instance(), actor: people.fieldStaff, action: 'nonsense', now });
    expect(unknown).toMatchObject({ ok: false, status: 404, code: 'NX_ERR_WF_UNKNOWN_ACTION' });
  });

  it('refuses an actor whose stated level does not match their place on the case path', () => {
    // A township code claiming to be a village, and a village code claiming to be a township.
    const liar1 = actor('x1', ['field_staff'], ORG.township, 'village');
    const liar2 = actor('x2', ['field_staff'], ORG.village, 'township');
    for (const who of [liar1, liar2]) {
      expect(
        decide(wf, { instance: instance(), actor: who, action: 'submit', input: { amount: 1 }, now, ctx }),
      ).toMatchObject({
        status: 403,
      });
    }
  });

  it('checks inputs: required, money to the fen, integers, real dates, nothing undeclared', () => {
    const bad = submit({ amount: 10.005, count: 1.5, on: '2021-02-29', extra: 'x' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.status).toBe(422);
    expect(bad.code).toBe('NX_ERR_WF_INPUT_UNKNOWN');
    expect(bad.errors?.map((e) => `${e.code} ${e.path}`)).toEqual([
      'NX_ERR_WF_INPUT_UNKNOWN /input/extra',
      'NX_ERR_WF_INPUT_INVALID /input/amount',
      'NX_ERR_WF_INPUT_INVALID /input/count',
      'NX_ERR_WF_INPUT_INVALID /input/on',
    ]);
    for (const e of bad.errors ?? []) expect(codes).toHaveProperty(e.code);
    expect(submit({ amount: -1 })).toMatchObject({ status: 422, code: 'NX_ERR_WF_INPUT_INVALID' });
    expect(submit({ amount: '  ' })).toMatchObject({ status: 422, code: 'NX_ERR_WF_INPUT_REQUIRED' });
  });

  it('normalises accepted inputs and records the free comment every action takes', () => {
    const ok = submit({ amount: '12.30', count: '3', on: '2020-02-29', comment: '  首次申请 ' });
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.record.input).toEqual({ amount: 12.3, count: 3, on: '2020-02-29', comment: '首次申请' });
    expect(ok.record.comment).toBe('首次申请');
    expect(ok.record).toMatchObject({
      action: 'submit',
      kind: 'normal',
      from: 'draft',
      to: 'review',
      moved: true,
      actorId: people.fieldStaff.id,
      actorRoles: ['field_staff'],
      actorOrg: ORG.village,
      at: now,
    });
    expect(ok.next).toMatchObject({ state: 'review', enteredAt: now, approvals: [] });
  });

  it('evaluates the guard over ctx: past the date the action is refused and not offered', () => {
    const late = { today: '2022-01-01' };
    expect(
      decide(wf, {
        instance: instance(),
        actor: people.fieldStaff,
        action: 'submit',
        input: { amount: 1 },
        now,
        ctx: late,
      }),
    ).toMatchObject({ status: 409, code: 'NX_ERR_WF_GUARD_FAILED' });
    expect(availableActions(wf, { instance: instance(), actor: people.fieldStaff, ctx: late })).toEqual([]);
    expect(
      availableActions(wf, { instance: instance(), actor: people.fieldStaff, ctx }).map((a) => a.action),
    ).toEqual(['submit']);
  });

  it('closes the withdraw window as soon as one countersign approval is in', () => {
    const inReview = instance({ state: 'review' });
    expect(
      availableActions(wf, { instance: inReview, actor: people.fieldStaff }).map((a) => a.action),
    ).toEqual(['withdraw']);
    const d = decide(wf, { instance: inReview, actor: people.countyAdmin, action: 'approve', now });
    expect(d).toMatchObject({ ok: true, moved: false });
    if (!d.ok) return;
    expect(decide(wf, { instance: d.next, actor: people.fieldStaff, action: 'withdraw', now })).toMatchObject(
      {
        status: 409,
        code: 'NX_ERR_WF_ALREADY_ACTED',
      },
    );
    expect(availableActions(wf, { instance: d.next, actor: people.fieldStaff })).toEqual([]);
  });

  it('describes countersign progress in the task list', () => {
    const inReview = instance({ state: 'review' });
    const [before] = availableActions(wf, { instance: inReview, actor: people.countyReviewer });
    expect(before?.countersign).toEqual({ pending: ['reviewer', 'admin'], completes: false });
    const d = decide(wf, { instance: inReview, actor: people.countyAdmin, action: 'approve', now });
    if (!d.ok) throw new Error(d.code);
    const [after] = availableActions(wf, { instance: d.next, actor: people.countyReviewer });
    expect(after?.countersign).toEqual({ pending: ['reviewer'], completes: true });
  });

  it('lists who may act in each state, for task queries', () => {
    expect(wf.actorsOf('review')).toEqual([
      { role: 'field_staff', level: 'village' },
      { role: 'reviewer', level: 'county' },
      { role: 'admin', level: 'county' },
    ]);
    expect(wf.actorsOf('done')).toEqual([]);
  });
});
