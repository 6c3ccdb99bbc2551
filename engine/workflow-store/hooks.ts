import type { SubmissionHooks } from '../submissions/submission.ts';
import { wfError } from './errors.ts';
import { actorOf } from './instance.ts';
import type { WorkflowService } from './service.ts';
import { withWorkflowTables } from './tables.ts';

/**
 * The workflow's side of plain submission writes, in the write's own transaction:
 * - a new submission of a form with a workflow starts its case (pinned to the current version);
 * - moving a submission to `submitted` (on create, or by PATCH after a return) takes the
 *   initial state's `submit` action as the writer — its role, level and guard apply, and a
 *   refusal refuses the write;
 * - while the case is past its initial state the submission cannot be edited or deleted (409):
 *   only a return for revision opens it again.
 */
export function workflowSubmissionHooks(svc: WorkflowService): SubmissionHooks {
  const instanceOf = (trx: Parameters<typeof withWorkflowTables>[0], id: string) =>
    withWorkflowTables(trx)
      .selectFrom('workflow_instances')
      .selectAll()
      .where('submission_id', '=', id)
      .executeTakeFirst();
  return {
    name: 'workflow',
    async beforeSave({ action, db, before }) {
      if (action === 'create' || !before) return;
      const row = await instanceOf(db, before.id);
      if (row && row.state !== svc.workflowOf(row).initial) throw wfError('NX_ERR_WF_CASE_LOCKED');
    },
    async afterSave({ action, db, actor, before, after }) {
      if (action === 'delete' || !after) return;
      const trx = withWorkflowTables(db);
      const sub = await trx
        .selectFrom('submissions')
        .selectAll()
        .where('id', '=', after.id)
        .executeTakeFirst();
      if (!sub) return;
      const row = await svc.start(trx, sub, before?.createdBy ?? actor.username);
      if (!row) return;
      const submitting = after.status === 'submitted' && before?.status !== 'submitted';
      const wf = svc.workflowOf(row);
      if (!submitting || row.state !== wf.initial || !wf.find(row.state, 'submit')) return;
      await svc.decideAndApply({
        sub,
        row,
        actor: await actorOf(trx, actor),
        action: 'submit',
        input: {},
        trx,
      });
    },
  };
}
