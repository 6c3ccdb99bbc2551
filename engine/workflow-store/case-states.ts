import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { withWorkflowTables } from './tables.ts';

/** Where a submission's case stands in its workflow. */
export interface CaseState {
  readonly workflowId: string;
  readonly state: string;
  /** ISO time the case entered `state`. */
  readonly enteredAt: string;
}

const CHUNK = 500;

/**
 * The case state of each of `submissionIds` under `workflowId` (those without a case are absent),
 * optionally only those in one of `states`: what a report or a rule reads of the workflow store.
 */
export async function caseStates(
  db: Kysely<Database>,
  q: {
    readonly submissionIds: readonly string[];
    readonly workflowId: string;
    readonly states?: readonly string[] | undefined;
  },
): Promise<Map<string, CaseState>> {
  const out = new Map<string, CaseState>();
  const wdb = withWorkflowTables(db);
  for (let i = 0; i < q.submissionIds.length; i += CHUNK) {
    let sel = wdb
      .selectFrom('workflow_instances')
      .select(['submission_id', 'workflow_id', 'state', 'entered_at'])
      .where('submission_id', 'in', q.submissionIds.slice(i, i + CHUNK))
      .where('workflow_id', '=', q.workflowId);
    if (q.states) sel = sel.where('state', 'in', [...q.states]);
    for (const r of await sel.execute())
      out.set(r.submission_id, { workflowId: r.workflow_id, state: r.state, enteredAt: r.entered_at });
  }
  return out;
}
