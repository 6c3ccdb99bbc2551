import type { Kysely } from 'kysely';
import { type NewAuditEntry, writeAudit } from '../audit/audit.ts';
import { httpError } from '../errors/domain-errors.ts';
import type { Database, SubmissionTable } from '../store/schema.ts';
import type { CompiledWorkflow } from '../workflow/compile-workflow.ts';
import type { EffectContext, EffectRegistry } from '../workflow/effects.ts';
import { runEffects } from '../workflow/run-effects.ts';
import type { Decision, TransitionRecord, WorkflowActor } from '../workflow/types.ts';
import { wfError } from './errors.ts';
import { clocksOf } from './instance.ts';
import { asStore, type WorkflowDatabase, type WorkflowInstanceTable } from './tables.ts';

/** What an effect receives from the store: the engine's context with the open transaction always set. */
export type StoreEffectContext = Omit<EffectContext, 'params'> & { readonly db: Kysely<Database> };

export interface ApplyArgs {
  readonly wf: CompiledWorkflow;
  readonly effects: EffectRegistry;
  /** The instance as read in this transaction; for a case started by this save, the row to insert. */
  readonly row: WorkflowInstanceTable;
  /** True when `row` is not stored yet: it is inserted in the decided state instead of updated. */
  readonly fresh?: boolean;
  readonly submission: Pick<SubmissionTable, 'id' | 'form_id' | 'org_code' | 'status' | 'version'>;
  readonly data: Record<string, unknown>;
  readonly decision: Extract<Decision, { ok: true }>;
  /** Undefined when a timer fired. */
  readonly actor: WorkflowActor | undefined;
  readonly now: string;
  /**
   * True when the save pipeline writes the submission's row (with its new status) itself; a
   * timer's move changes the status here, with compare-and-set on the submission's version.
   */
  readonly submissionWritten?: boolean;
  /** Where the audit entry goes: the save's own list (written with its entries), or written here. */
  readonly audit?: NewAuditEntry[];
}

/** The submission status that goes with a workflow state: editable in the initial state only. */
export const statusFor = (wf: CompiledWorkflow, state: string): 'draft' | 'submitted' =>
  state === wf.initial ? 'draft' : 'submitted';

/**
 * Writes one decision inside the caller's transaction `trx`: first the compare-and-set on the
 * instance's version (a racing second decision finds the version moved and gets 409, before any
 * effect runs) — or, for a case this save starts, its insert already in the decided state — then
 * the effects (they get `trx` as `ctx.db`), the submission's status when the pipeline does not
 * write it, the history line and the audit entry. Any throw rolls all of it back.
 */
export async function applyDecision(trx: Kysely<WorkflowDatabase>, a: ApplyArgs): Promise<TransitionRecord> {
  const { decision, row, now } = a;
  const next = decision.next;
  const moved = {
    state: next.state,
    approvals: JSON.stringify(next.approvals),
    entered_at: next.enteredAt,
    ...clocksOf(a.wf, next),
    updated_at: now,
  };
  if (a.fresh) {
    await trx
      .insertInto('workflow_instances')
      .values({ ...row, ...moved })
      .execute();
  } else {
    const r = await trx
      .updateTable('workflow_instances')
      .set({ ...moved, version: row.version + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .where('state', '=', row.state)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw wfError('NX_ERR_WF_CONFLICT');
  }

  const ctx: StoreEffectContext = {
    submission: {
      id: a.submission.id,
      formId: a.submission.form_id,
      orgUnit: a.submission.org_code,
      data: a.data,
    },
    instance: next,
    caseId: row.id,
    actor: a.actor,
    input: decision.record.input,
    now,
    db: asStore(trx),
  };
  const outcomes = decision.effects.length > 0 ? await runEffects(a.effects, decision.effects, ctx) : [];
  const record: TransitionRecord = { ...decision.record, effects: outcomes };

  const status = statusFor(a.wf, next.state);
  if (!a.submissionWritten && decision.moved && status !== a.submission.status) {
    const r = await trx
      .updateTable('submissions')
      .set({ status, version: a.submission.version + 1, updated_at: now })
      .where('id', '=', a.submission.id)
      .where('version', '=', a.submission.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
  }
  await trx
    .insertInto('workflow_history')
    .values({
      instance_id: row.id,
      submission_id: row.submission_id,
      action: record.action,
      from_state: record.from,
      to_state: record.to,
      actor_id: record.actorId,
      at: now,
      comment: record.comment ?? null,
      input: JSON.stringify(record.input),
      effects: JSON.stringify(outcomes),
    })
    .execute();
  const entry: NewAuditEntry = {
    at: now,
    actor: record.actorId,
    action: `workflow.${record.action}`,
    entityType: 'submission',
    entityId: row.submission_id,
    orgPath: row.org_path,
    before: { workflowState: record.from, approvals: row.approvals },
    after: { workflowState: record.to, approvals: JSON.stringify(next.approvals) },
  };
  if (a.audit) a.audit.push(entry);
  else await writeAudit(asStore(trx), entry);
  return record;
}
