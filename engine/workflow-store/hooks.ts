import type { SaveActor, SubmissionHookArgs, SubmissionHooks } from '../submissions/submission.ts';
import type { CompiledWorkflow } from '../workflow/compile-workflow.ts';
import { decide } from '../workflow/machine.ts';
import type { Decision, TransitionRecord, WorkflowActor } from '../workflow/types.ts';
import { applyDecision, statusFor } from './apply.ts';
import { refusalError, wfError } from './errors.ts';
import { guardContext, periodOf, toSnapshot, workflowActor } from './instance.ts';
import type { WorkflowService } from './service.ts';
import { type WorkflowInstanceTable, withWorkflowTables } from './tables.ts';

/** The workflow's part in one save, settled at `authorize`. */
interface Plan {
  readonly wf: CompiledWorkflow;
  readonly row: WorkflowInstanceTable;
  /** The case starts with this save (its row is inserted, not updated). */
  readonly fresh: boolean;
  readonly actor: WorkflowActor;
  readonly action: string | undefined;
  readonly input: Readonly<Record<string, unknown>>;
  outcome?: { readonly decision: Extract<Decision, { ok: true }>; readonly record: TransitionRecord };
}

const plans = new WeakMap<SubmissionHookArgs, Plan>();

/** What the workflow did in a save: its decision and the history record written (none when no action was taken). */
export const workflowOutcome = (ctx: SubmissionHookArgs): Plan['outcome'] => plans.get(ctx)?.outcome;

const asWorkflowActor = (a: SaveActor): WorkflowActor => workflowActor(a, a.orgLevel);

function decideFor(plan: Plan, ctx: SubmissionHookArgs): Decision {
  const s = (ctx.after ?? ctx.before)!;
  return decide(plan.wf, {
    instance: toSnapshot(plan.row, periodOf({ period: s.period, data: '' }, s.data)),
    actor: plan.actor,
    data: s.data,
    ctx: guardContext(ctx.now),
    action: plan.action as string,
    input: plan.input,
    now: ctx.now,
  });
}

/**
 * The workflow as a participant in every save of a submission:
 * - authorize: a new submission of a form with a workflow starts its case; moving a submission
 *   to `submitted` (on create, or by PATCH after a return) takes the initial state's `submit`
 *   action as the writer, and `POST …/actions/:action` takes the action asked for — its role,
 *   level and state are checked here, before anything is validated or written, and the status
 *   the action leads to becomes the save's; while the case is past its initial state a plain
 *   edit or delete is refused (409): only a return for revision opens it again;
 * - persist: the decision is made again on the validated data (guards read it) and written with
 *   compare-and-set on the instance's version, its history line and audit entry with the save's.
 */
export function workflowSubmissionHooks(svc: WorkflowService): SubmissionHooks {
  return {
    name: 'workflow',
    async authorize(ctx) {
      const s = (ctx.after ?? ctx.before)!;
      let row: WorkflowInstanceTable | undefined;
      if (ctx.action !== 'create') {
        row = await withWorkflowTables(ctx.db)
          .selectFrom('workflow_instances')
          .selectAll()
          .where('submission_id', '=', s.id)
          .executeTakeFirst();
      }
      const fresh = row === undefined;
      if (!row) {
        const wf = ctx.action === 'delete' ? undefined : svc.catalog.forForm(s.formId);
        if (!wf) {
          if (ctx.requested) throw wfError('NX_ERR_WF_NO_INSTANCE');
          return undefined;
        }
        row = svc.newInstance(wf, s, ctx.orgPath, ctx.before?.createdBy ?? ctx.actor.username, ctx.now);
      }
      const wf = svc.workflowOf(row);
      let action = ctx.requested?.action;
      if (!ctx.requested) {
        if (row.state !== wf.initial) throw wfError('NX_ERR_WF_CASE_LOCKED');
        const submitting = ctx.after?.status === 'submitted' && ctx.before?.status !== 'submitted';
        if (submitting && wf.find(row.state, 'submit')) action = 'submit';
      }
      const plan: Plan = {
        wf,
        row,
        fresh,
        actor: asWorkflowActor(ctx.actor),
        action,
        input: ctx.requested?.input ?? {},
      };
      plans.set(ctx, plan);
      if (action === undefined) return undefined;
      const d = decideFor(plan, ctx);
      // A guard reads the data as validated (calculated fields among it): for a save that
      // changes the data, it is checked again at persist; everything else is final here.
      if (!d.ok && (d.code !== 'NX_ERR_WF_GUARD_FAILED' || ctx.requested)) throw refusalError(d);
      const to = d.ok ? d.next.state : (wf.find(row.state, action)?.to ?? row.state);
      return {
        status: statusFor(wf, to),
        transition: { workflowId: wf.id, action, from: row.state, to, input: plan.input },
      };
    },
    async persist(ctx) {
      const plan = plans.get(ctx);
      if (!plan) return;
      const s = (ctx.after ?? ctx.before)!;
      const trx = withWorkflowTables(ctx.db);
      if (plan.fresh) {
        ctx.audit.push({
          at: ctx.now,
          actor: plan.row.submitter_id,
          action: 'workflow.start',
          entityType: 'submission',
          entityId: s.id,
          orgPath: plan.row.org_path,
          after: { workflow: plan.wf.id, workflowVersion: plan.wf.version, workflowState: plan.wf.initial },
        });
      }
      if (plan.action === undefined) {
        if (plan.fresh) await trx.insertInto('workflow_instances').values(plan.row).execute();
        return;
      }
      const decision = decideFor(plan, ctx);
      if (!decision.ok) throw refusalError(decision);
      const before = ctx.before ?? s;
      const record = await applyDecision(trx, {
        wf: plan.wf,
        effects: svc.catalog.effects,
        row: plan.row,
        fresh: plan.fresh,
        submission: {
          id: s.id,
          form_id: s.formId,
          org_code: s.orgUnit,
          status: before.status,
          version: before.version,
        },
        data: s.data,
        decision,
        actor: plan.actor,
        now: ctx.now,
        submissionWritten: ctx.saves,
        audit: ctx.audit,
      });
      plan.outcome = { decision, record };
    },
  };
}
