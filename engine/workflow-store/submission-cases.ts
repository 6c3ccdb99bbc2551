import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { withWorkflowTables } from './tables.ts';

/** A workflow case as a plugin lists it beside its submission (a record's timeline). */
export interface SubmissionCase {
  /** The case (workflow instance) id. */
  readonly id: string;
  readonly submissionId: string;
  readonly workflowId: string;
  readonly state: string;
  /** ISO time the case entered `state`. */
  readonly enteredAt: string;
  readonly updatedAt: string;
}

const CHUNK = 500;

/**
 * The cases of `submissionIds` under any workflow, in the order they were opened (case id), one
 * query per 500 ids. No scope of its own: the caller passes submissions it may show.
 *
 * @example const cases = await submissionCases(db, versions.map((v) => v.submissionId));
 */
export async function submissionCases(
  db: Kysely<Database>,
  submissionIds: readonly string[],
): Promise<SubmissionCase[]> {
  const out: SubmissionCase[] = [];
  const ids = [...new Set(submissionIds)];
  const wdb = withWorkflowTables(db);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await wdb
      .selectFrom('workflow_instances')
      .select(['id', 'submission_id', 'workflow_id', 'state', 'entered_at', 'updated_at'])
      .where('submission_id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('id')
      .execute();
    for (const r of rows)
      out.push({
        id: r.id,
        submissionId: r.submission_id,
        workflowId: r.workflow_id,
        state: r.state,
        enteredAt: r.entered_at,
        updatedAt: r.updated_at,
      });
  }
  return ids.length > CHUNK ? out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : out;
}
