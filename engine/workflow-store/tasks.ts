import type { Kysely } from 'kysely';
import type { SubmissionTable } from '../store/schema.ts';
import { statesActableBy, type TaskView, taskView } from '../workflow/tasks.ts';
import type { WorkflowActor } from '../workflow/types.ts';
import type { WorkflowCatalog } from './catalog.ts';
import { guardContext, periodOf, toSnapshot } from './instance.ts';
import type { WorkflowDatabase, WorkflowInstanceTable } from './tables.ts';

export interface TaskFilters {
  /** Only cases in this state. */
  readonly state?: string;
  /** Only cases of this form. */
  readonly form?: string;
  /** At most this many (default 200). */
  readonly limit?: number;
}

/** One case the caller may act on now, with its actions and clocks. */
export interface Task extends TaskView {
  readonly submissionId: string;
  readonly formId: string;
  readonly workflowId: string;
  readonly workflowVersion: number;
  readonly orgUnit: string;
  readonly period: string | null;
  readonly submitter: string;
  readonly enteredAt: string;
}

const MAX_CANDIDATES = 2000;

/**
 * The caller's task list: for each workflow version, the states their roles and level can act
 * in narrow the query to their subtree; the pure engine then decides per case (withdraw only
 * for the submitter, countersigns not yet given, guards). Overdue first, then oldest first.
 */
export async function listTasks(
  svc: { readonly db: Kysely<WorkflowDatabase>; readonly catalog: WorkflowCatalog },
  actor: WorkflowActor,
  orgPath: string,
  filters: TaskFilters,
  now: string,
): Promise<Task[]> {
  const out: Task[] = [];
  const limit = filters.limit ?? 200;
  for (const wf of svc.catalog.all()) {
    if (filters.form !== undefined && wf.form !== filters.form) continue;
    const states = statesActableBy(wf, actor).filter(
      (s) => filters.state === undefined || s === filters.state,
    );
    if (states.length === 0) continue;
    const rows: WorkflowInstanceTable[] = await svc.db
      .selectFrom('workflow_instances')
      .selectAll()
      .where('workflow_id', '=', wf.id)
      .where('workflow_version', '=', wf.version)
      .where('state', 'in', states)
      .where('org_path', 'like', `${orgPath}%`)
      .orderBy('entered_at')
      .limit(MAX_CANDIDATES)
      .execute();
    if (rows.length === 0) continue;
    const subs = new Map<string, SubmissionTable>();
    // Chunks keep the parameter count under SQLite's limit.
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map((r) => r.submission_id);
      const found = await svc.db
        .selectFrom('submissions')
        .selectAll()
        .where('id', 'in', ids)
        .where('deleted_at', 'is', null)
        .execute();
      for (const s of found) subs.set(s.id, s);
    }
    const ctx = guardContext(now);
    for (const row of rows) {
      const sub = subs.get(row.submission_id);
      if (!sub) continue;
      const data = JSON.parse(sub.data) as Record<string, unknown>;
      const period = periodOf(sub, data);
      const view = taskView(wf, { instance: toSnapshot(row, period), actor, data, ctx, now });
      if (!view) continue;
      out.push({
        ...view,
        submissionId: sub.id,
        formId: sub.form_id,
        workflowId: wf.id,
        workflowVersion: wf.version,
        orgUnit: sub.org_code,
        period: period ?? null,
        submitter: row.submitter_id,
        enteredAt: row.entered_at,
      });
    }
  }
  out.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.enteredAt.localeCompare(b.enteredAt));
  return out.slice(0, limit);
}
