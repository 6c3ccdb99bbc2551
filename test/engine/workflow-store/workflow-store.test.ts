import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { decide } from '../../../engine/workflow/machine.ts';
import { applyDecision } from '../../../engine/workflow-store/apply.ts';
import { loadWorkflowCatalog } from '../../../engine/workflow-store/catalog.ts';
import { actorOf, toSnapshot } from '../../../engine/workflow-store/instance.ts';
import { withWorkflowTables } from '../../../engine/workflow-store/tables.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import {
  FIXTURE_WORKFLOWS,
  householdData,
  plusDays,
  testEffects,
  type WorkflowTestApp,
  workflowApp,
} from './setup.ts';

const shipped = (name: string) =>
  JSON.parse(
    readFileSync(
      name === 'survey-approval-fixture'
        ? `${FIXTURE_WORKFLOWS}/assistance-application.json`
        : `workflows/${name}.json`,
      'utf8',
    ),
  ) as Record<string, unknown>;

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err instanceof NxError
      ? { code: err.code, detail: JSON.stringify(err.errors) }
      : { code: String(err) };
  }
  return { code: 'resolved' };
};

describe.each(dialects())('workflows in the store on $name', (dialect) => {
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

  const submitted = async () => {
    const r = await w.call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
      data: householdData(),
      status: 'submitted',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };

  it('refuses to start when a workflow names an effect no plugin registered, naming it', async () => {
    const r = await codeOf(loadWorkflowCatalog(t.db, { dir: FIXTURE_WORKFLOWS }));
    expect(r.code).toBe('NX_ERR_WF_LOAD_FAILED');
    expect(r.detail).toContain('rules.evaluate');
  });

  it('pins running cases to their version; a changed file must raise its version', async () => {
    const v2 = { ...shipped('survey-approval-fixture'), version: 2 };
    const catalog = await loadWorkflowCatalog(t.db, {
      definitions: [v2, shipped('statistics-report')],
      effects: testEffects(),
    });
    expect(catalog.forForm('household-survey')?.version).toBe(2);
    expect(catalog.get('assistance-application', 1)?.version).toBe(1);
    const changed = { ...shipped('survey-approval-fixture'), title: { 'zh-CN': '改', en: 'Changed' } };
    const r = await codeOf(loadWorkflowCatalog(t.db, { definitions: [changed], effects: testEffects() }));
    expect(r.code).toBe('NX_ERR_WF_VERSION_CHANGED');
  });

  it('compare-and-set: a decision made on a stale read is refused with 409 and writes nothing', async () => {
    const id = await submitted();
    const db = withWorkflowTables(t.db);
    const sub = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const row = await db
      .selectFrom('workflow_instances')
      .selectAll()
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();
    const users = await Promise.all(
      ['baiyi.reviewer', 'baiyi.reviewer2'].map((username) =>
        db
          .selectFrom('users')
          .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
          .select(['users.id', 'users.org_code', 'user_roles.role'])
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
          .then((u) =>
            actorOf(db, {
              userId: u.id,
              username,
              orgCode: u.org_code,
              orgPath: '',
              roles: [u.role as 'reviewer'],
              permissions: [],
              tokenId: '',
              tokenKind: 'api',
            }),
          ),
      ),
    );
    const svc = w.app.workflows;
    const first = await w.call('baiyi.reviewer', 'POST', `/api/submissions/${id}/actions/approve`, {});
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ state: string }>().state).toBe('eligibility_check');
    // A second reviewer's decision made on the row as it was before the first approval.
    const wf = svc.workflowOf(row);
    const data = JSON.parse(sub.data) as Record<string, unknown>;
    const decision = decide(wf, {
      instance: toSnapshot(row, undefined),
      actor: users[1]!,
      data,
      action: 'approve',
      now: w.now,
    });
    if (!decision.ok) throw new Error(decision.code);
    const second = await codeOf(
      db.transaction().execute((trx) =>
        applyDecision(trx, {
          wf,
          effects: svc.catalog.effects,
          row,
          submission: sub,
          data,
          decision,
          actor: users[1]!,
          now: w.now,
        }),
      ),
    );
    expect(second.code).toBe('NX_ERR_WF_CONFLICT');
    const lines = await db
      .selectFrom('workflow_history')
      .select('action')
      .where('submission_id', '=', id)
      .execute();
    expect(lines.map((l) => l.action)).toEqual(['submit', 'approve']);
  });

  it('due timers fire once even when two runners race, and late rather than never', async () => {
    const id = await submitted();
    const call = (user: string, action: string) =>
      w.call(user, 'POST', `/api/submissions/${id}/actions/${action}`, {});
    expect((await call('baiyi.reviewer', 'approve')).statusCode).toBe(200);
    expect((await call('pingchang.reviewer', 'check')).statusCode).toBe(200);
    expect((await call('pingchang.reviewer', 'approve')).statusCode).toBe(200);
    // Long after the due date (the server was down): both runners look at once, one fires it.
    const later = plusDays(w.now, 40);
    const [a, b] = await Promise.all([
      w.app.workflows.runDueTimers(later),
      w.app.workflows.runDueTimers(later),
    ]);
    expect([...a, ...b].filter((f) => f.submissionId === id).length).toBe(1);
    const lines = await withWorkflowTables(t.db)
      .selectFrom('workflow_history')
      .select(['action', 'actor_id'])
      .where('submission_id', '=', id)
      .where('action', '=', 'notice_end')
      .execute();
    expect(lines).toEqual([{ action: 'notice_end', actor_id: null }]);
  });
});
