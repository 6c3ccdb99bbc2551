import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { SAVE_STAGES } from '../../../engine/submissions/pipeline.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { probePlugin, told, VETO } from '../../helpers/probe-plugin.ts';
import { householdData, type WorkflowTestApp, workflowApp } from '../workflow-store/setup.ts';

interface Stored {
  submission: { status: string; version: number; data: string } | undefined;
  instance: { state: string; version: number } | undefined;
  history: string[];
  audit: { action: string; diff: string }[];
}

/**
 * Every status change of a case goes through the one save pipeline: `actions/submit` and
 * `PATCH status=submitted` validate alike, call the same hooks and store the same things, and a
 * refused submit writes nothing at all.
 */
describe.each(dialects())('the save pipeline on $name', (dialect) => {
  let t: TestDatabase;
  let w: WorkflowTestApp;
  beforeAll(async () => {
    t = await dialect.open();
    const { submissionHooks } = pluginAppOptions(await probePlugin());
    w = await workflowApp(t, undefined, {}, { submissionHooks });
  });
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
  });

  const draft = async (data: Record<string, unknown>) => {
    const r = await w.call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
      data,
      status: 'draft',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; version: number }>();
  };
  const stored = async (id: string): Promise<Stored> => ({
    submission: await t.db
      .selectFrom('submissions')
      .select(['status', 'version', 'data'])
      .where('id', '=', id)
      .executeTakeFirst(),
    instance: await t.db
      .withTables<{ workflow_instances: { submission_id: string; state: string; version: number } }>()
      .selectFrom('workflow_instances')
      .select(['state', 'version'])
      .where('submission_id', '=', id)
      .executeTakeFirst(),
    history: (
      await t.db
        .withTables<{ workflow_history: { submission_id: string; action: string; id: number } }>()
        .selectFrom('workflow_history')
        .select('action')
        .where('submission_id', '=', id)
        .orderBy('id')
        .execute()
    ).map((r) => r.action),
    audit: await t.db
      .selectFrom('audit_log')
      .select(['action', 'diff'])
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute(),
  });
  /** What a save wrote, without what differs between two cases anyway (ids, instants). */
  const shape = (s: Stored) => ({
    status: s.submission?.status,
    version: s.submission?.version,
    instance: s.instance,
    history: s.history,
    audit: s.audit.map((a) => {
      const diff = JSON.parse(a.diff) as { after?: Record<string, unknown> };
      const after = diff.after ?? {};
      return { action: a.action, status: after.status, workflowState: after.workflowState, to: after.to };
    }),
  });

  it('declares its stages in the order they run', () => {
    expect(SAVE_STAGES).toEqual(['authorize', 'validate', 'beforeHooks', 'persist', 'audit', 'afterHooks']);
  });

  it('actions/submit refuses a draft that is incomplete for a submit (422) and writes nothing', async () => {
    const full = householdData(31);
    const d = await draft({ headName: full.headName, householdSignature: 'signed', surveyorName: '李四' });
    const before = await stored(d.id);
    const r = await w.call('baiyicun.staff', 'POST', `/api/submissions/${d.id}/actions/submit`, {});
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json<{ code: string }>().code).toBe('NX_ERR_SUBMISSION_INVALID');
    expect(await stored(d.id)).toEqual(before);
    // The same draft PATCHed to submitted is refused alike.
    const p = await w.call('baiyicun.staff', 'PATCH', `/api/submissions/${d.id}`, {
      status: 'submitted',
      version: d.version,
    });
    expect(p.statusCode, p.body).toBe(422);
    expect(await stored(d.id)).toEqual(before);
  });

  it('a submit the workflow refuses (wrong role) is refused before anything is written', async () => {
    const d = await draft(householdData(32));
    const before = await stored(d.id);
    const r = await w.call('baiyi.reviewer', 'PATCH', `/api/submissions/${d.id}`, {
      status: 'submitted',
      version: d.version,
    });
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json<{ code: string }>().code).toBe('NX_ERR_WF_FORBIDDEN');
    expect(await stored(d.id)).toEqual(before);
    const a = await w.call('baiyi.reviewer', 'POST', `/api/submissions/${d.id}/actions/submit`, {});
    expect(a.statusCode, a.body).toBe(403);
    expect(await stored(d.id)).toEqual(before);
  });

  it('actions/submit and PATCH status=submitted store the same rows, audit entries and hook effects', async () => {
    const data = householdData(33);
    const one = await draft(data);
    const two = await draft(data);
    const a = await w.call('baiyicun.staff', 'POST', `/api/submissions/${one.id}/actions/submit`, {});
    expect(a.statusCode, a.body).toBe(200);
    const p = await w.call('baiyicun.staff', 'PATCH', `/api/submissions/${two.id}`, {
      status: 'submitted',
      version: two.version,
    });
    expect(p.statusCode, p.body).toBe(200);
    const [x, y] = [shape(await stored(one.id)), shape(await stored(two.id))];
    expect(x).toEqual(y);
    expect(x.status).toBe('submitted');
    expect(x.version).toBe(2);
    expect(x.instance).toEqual({ state: 'township_review', version: 2 });
    expect(x.audit.map((e) => e.action)).toEqual([
      'submission.create',
      'workflow.start',
      'probe.afterSubmissionSave',
      'probe.beforeTransition',
      'submission.update',
      'workflow.submit',
      'probe.afterSubmissionSave',
      'probe.afterTransition',
    ]);
  });

  it("an afterSubmissionSave handler is told the save's own audit entry (id, time, actor) and the unit's path, as stored", async () => {
    const one = await draft(householdData(34));
    const p = await w.call('baiyicun.staff', 'PATCH', `/api/submissions/${one.id}`, {
      status: 'submitted',
      version: one.version,
    });
    expect(p.statusCode, p.body).toBe(200);
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor', 'action'])
      .where('entity_id', '=', one.id)
      .orderBy('id')
      .execute();
    const seen = told.filter((x) => x.submissionId === one.id);
    const own = rows
      .filter((r) => r.action === 'submission.create' || r.action === 'submission.update')
      .map((r) => ({ id: Number(r.id), at: r.at, actor: r.actor }));
    expect(own).toHaveLength(2);
    expect(seen.map((x) => x.entry)).toEqual(own);
    const stored = await t.db
      .selectFrom('submissions')
      .select('org_path')
      .where('id', '=', one.id)
      .executeTakeFirstOrThrow();
    expect(seen.map((x) => x.orgPath)).toEqual([stored.org_path, stored.org_path]);
  });

  it('a transition hook sees the save and may refuse it with located errors; then nothing is written', async () => {
    const d = await draft({ ...householdData(34), surveyorName: VETO });
    const before = await stored(d.id);
    const r = await w.call('baiyicun.staff', 'POST', `/api/submissions/${d.id}/actions/submit`, {});
    expect(r.statusCode, r.body).toBe(422);
    const body = r.json<{ code: string; errors: { path: string; code: string }[] }>();
    expect(body.code).toBe('NX_ERR_WF_TRANSITION_VETOED');
    expect(body.errors).toEqual([
      expect.objectContaining({ path: '/surveyorName', code: 'NX_ERR_PROBE_VETO' }),
    ]);
    expect(await stored(d.id)).toEqual(before);
  });

  it('a workflow action that changes no status writes the case, not the submission, and fires the transition hooks', async () => {
    const d = await draft(householdData(35));
    const s = await w.call('baiyicun.staff', 'POST', `/api/submissions/${d.id}/actions/submit`, {});
    expect(s.statusCode, s.body).toBe(200);
    const mid = await stored(d.id);
    const r = await w.call('baiyi.reviewer', 'POST', `/api/submissions/${d.id}/actions/approve`, {});
    expect(r.statusCode, r.body).toBe(200);
    const after = await stored(d.id);
    expect(after.submission).toEqual(mid.submission);
    expect(after.instance).toEqual({ state: 'eligibility_check', version: 3 });
    expect(after.audit.slice(mid.audit.length).map((e) => e.action)).toEqual([
      'probe.beforeTransition',
      'workflow.approve',
      'probe.afterTransition',
    ]);
  });
});
