import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, type WorkflowTestApp, workflowApp } from '../workflow-store/setup.ts';

/** One HTTP call of the race, by a user; `{id}` in the URL or body stands for the case. */
interface Call {
  readonly name: string;
  readonly user: string;
  readonly method: 'POST' | 'PATCH';
  readonly url: string;
  readonly body: Record<string, unknown>;
}

/** What a case is, as stored: everything a call can change, and every version it went through. */
interface CaseState {
  status: string;
  version: number;
  data: string;
  state: string;
  instanceVersion: number;
  history: string[];
}

const STAFF = 'baiyicun.staff';
const REVIEWER = 'baiyi.reviewer';
const fill = (c: Call, id: string): Call => ({
  ...c,
  url: c.url.replace('{id}', id),
  body: JSON.parse(JSON.stringify(c.body).replaceAll('{id}', id)) as Record<string, unknown>,
});
const permutations = <T>(xs: readonly T[]): T[][] =>
  xs.length <= 1
    ? [[...xs]]
    : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

/**
 * Conflicting writes fired at once on one case — PATCH of data, PATCH to submitted, each
 * workflow action, a bulk action — and the invariant checked after each round: the stored case
 * is what some serial order of the calls that succeeded produces (replayed one by one on a fresh
 * copy of the case), and every version number of the submission and of its workflow instance
 * names one state (the audit log and the history hold each version once). Bounded: a few rounds
 * per scenario, each replay at most 4! orders.
 */
describe.each(dialects())('racing writes on one case on $name', (dialect) => {
  let t: TestDatabase;
  let w: WorkflowTestApp;
  beforeAll(async () => {
    t = await dialect.open();
    w = await workflowApp(t);
  }, 60_000);
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
  });

  const draft = async (seed: number) => {
    const r = await w.call(STAFF, 'POST', '/api/forms/household-survey/submissions', {
      data: householdData(seed),
      status: 'draft',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const run = (c: Call, id: string) => {
    const f = fill(c, id);
    return w.call(f.user, f.method, f.url, f.body);
  };
  const stateOf = async (id: string): Promise<CaseState> => {
    const wdb = t.db.withTables<{
      workflow_instances: { submission_id: string; state: string; version: number };
      workflow_history: { submission_id: string; action: string; id: number };
    }>();
    const s = await t.db
      .selectFrom('submissions')
      .select(['status', 'version', 'data'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const i = await wdb
      .selectFrom('workflow_instances')
      .select(['state', 'version'])
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();
    const h = await wdb
      .selectFrom('workflow_history')
      .select('action')
      .where('submission_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      status: s.status,
      version: s.version,
      data: s.data,
      state: i.state,
      instanceVersion: i.version,
      history: h.map((x) => x.action),
    };
  };
  /** Every version number names one state: each submission version was written once, each instance move too. */
  const expectVersionsNameOneState = async (id: string, st: CaseState) => {
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'diff'])
      .where('entity_id', '=', id)
      .where('action', 'like', 'submission.%')
      .orderBy('id')
      .execute();
    const versions = audit.map((a) => (JSON.parse(a.diff) as { after: { version?: number } }).after.version);
    // Status-only changes audit the version too; consecutive from 1 means no number was used twice.
    expect(versions, JSON.stringify(audit)).toEqual(Array.from({ length: st.version }, (_, i) => i + 1));
    expect(st.instanceVersion).toBe(st.history.length + 1);
  };

  /** Fires `calls` at once on a new case, then checks the invariant; returns which calls succeeded. */
  const round = async (seed: number, calls: readonly Call[]): Promise<string[]> => {
    const id = await draft(seed);
    const replies = await Promise.all(calls.map((c) => run(c, id)));
    for (const r of replies) expect([200, 403, 409, 422], r.body).toContain(r.statusCode);
    const won = calls.filter((c, i) => {
      const r = replies[i] as { statusCode: number; json<T>(): T };
      if (r.statusCode !== 200) return false;
      // A bulk call answers 200 with a result per case.
      const results =
        c.url === '/api/tasks/bulk' ? r.json<{ results: { ok: boolean }[] }>().results : undefined;
      return results ? results.every((x) => x.ok) : true;
    });
    const final = await stateOf(id);
    await expectVersionsNameOneState(id, final);
    const serial: CaseState[] = [];
    for (const order of permutations(won)) {
      const copy = await draft(seed);
      let ok = true;
      for (const c of order) ok = ok && (await run(c, copy)).statusCode === 200;
      if (!ok) continue;
      const s = await stateOf(copy);
      serial.push(s);
      // Data and versions must match; the JSON text is compared as data.
      if (
        JSON.stringify({ ...s, data: JSON.parse(s.data) }) ===
        JSON.stringify({ ...final, data: JSON.parse(final.data) })
      )
        return won.map((c) => c.name);
    }
    throw new Error(
      `no serial order of ${won.map((c) => c.name).join(', ')} gives the stored case ${JSON.stringify(final)}; serial results: ${JSON.stringify(serial)}`,
    );
  };

  const patchData: Call = {
    name: 'PATCH data',
    user: STAFF,
    method: 'PATCH',
    url: '/api/submissions/{id}',
    body: { version: 1, data: { surveyorName: '王五' } },
  };
  const patchSubmit: Call = {
    name: 'PATCH submitted',
    user: STAFF,
    method: 'PATCH',
    url: '/api/submissions/{id}',
    body: { version: 1, status: 'submitted' },
  };
  const actSubmit: Call = {
    name: 'actions/submit',
    user: STAFF,
    method: 'POST',
    url: '/api/submissions/{id}/actions/submit',
    body: {},
  };
  const bulkSubmit: Call = {
    name: 'bulk submit',
    user: STAFF,
    method: 'POST',
    url: '/api/tasks/bulk',
    body: { action: 'submit', submissionIds: ['{id}'] },
  };
  const withdraw: Call = {
    name: 'actions/withdraw',
    user: STAFF,
    method: 'POST',
    url: '/api/submissions/{id}/actions/withdraw',
    body: {},
  };
  const approve: Call = {
    name: 'actions/approve',
    user: REVIEWER,
    method: 'POST',
    url: '/api/submissions/{id}/actions/approve',
    body: {},
  };
  const patchBlank: Call = {
    name: 'PATCH blanks a guarded field',
    user: STAFF,
    method: 'PATCH',
    url: '/api/submissions/{id}',
    body: { version: 1, data: { householdSignature: 'unsigned' } },
  };

  it('a PATCH of data racing a submit: never both on the same version, and the submit decided on what is stored', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await round(100 + i, [patchBlank, actSubmit])).join('+'));
    // Either the submit went first (then the edit of a case in review is refused) or the edit did
    // (then the submit's guard sees the unsigned survey and refuses): one winner each round.
    for (const s of seen) expect(['actions/submit', 'PATCH blanks a guarded field']).toContain(s);
  }, 120_000);

  it('PATCH to submitted, actions/submit and a bulk submit at once: at most one submit is taken', async () => {
    for (let i = 0; i < 3; i++) {
      const won = await round(200 + i, [patchSubmit, actSubmit, bulkSubmit, patchData]);
      const submits = won.filter((n) => n !== 'PATCH data');
      expect(submits.length).toBeLessThanOrEqual(1);
      // No submit may be taken only when the edit committed first and every submit that had read the
      // older version was refused as a conflict (compare-and-set): someone always wins.
      if (submits.length === 0) expect(won).toEqual(['PATCH data']);
    }
  }, 120_000);

  it('a submit racing a withdraw and an approval: a serial order explains the stored case', async () => {
    for (let i = 0; i < 3; i++) await round(300 + i, [actSubmit, withdraw, approve]);
  }, 120_000);
});
