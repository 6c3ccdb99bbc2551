import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/audit.ts';
import type { Principal } from '../auth/principal.ts';
import { NxError } from '../errors/nx-error.ts';
import { nowIso } from '../store/clock.ts';
import type { Database, SubmissionTable } from '../store/schema.ts';
import { scopedRow } from '../submissions/scope.ts';
import type { CompiledWorkflow } from '../workflow/compile-workflow.ts';
import { decide } from '../workflow/machine.ts';
import type { TransitionRecord, WorkflowActor } from '../workflow/types.ts';
import { applyDecision } from './apply.ts';
import type { WorkflowCatalog } from './catalog.ts';
import { refusalError, wfError } from './errors.ts';
import { actorOf, clocksOf, guardContext, periodOf, toSnapshot } from './instance.ts';
import { asStore, type WorkflowDatabase, type WorkflowInstanceTable, withWorkflowTables } from './tables.ts';
import { listTasks, type Task, type TaskFilters } from './tasks.ts';
import { type FiredTimer, runDueTimers } from './timers.ts';

/** The outcome of one action on one case. */
export interface ActionResult {
  readonly submissionId: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly moved: boolean;
  readonly state: string;
  readonly record: TransitionRecord;
}

/** One line of a case's history, as the API returns it. */
export interface HistoryEntry {
  readonly id: number;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly actor: string | null;
  readonly at: string;
  readonly comment: string | null;
  readonly input: Record<string, unknown>;
  readonly effects: { name: string; output: unknown }[];
}

export type BulkResult =
  | { readonly submissionId: string; readonly ok: true; readonly state: string; readonly moved: boolean }
  | {
      readonly submissionId: string;
      readonly ok: false;
      readonly status: number;
      readonly code: string;
      readonly message: { 'zh-CN': string; en: string };
    };

export interface WorkflowServiceOptions {
  /** ISO instant of "now" (tests move it); the system clock by default. */
  readonly clock?: () => string;
}

/**
 * Workflows in the store: starting cases, taking actions (one transaction each, compare-and-set
 * on the instance), task lists, history and due timers. Routes and the CLI call it.
 */
export class WorkflowService {
  readonly db: Kysely<WorkflowDatabase>;
  readonly clock: () => string;

  constructor(
    store: Kysely<Database>,
    readonly catalog: WorkflowCatalog,
    opts: WorkflowServiceOptions = {},
  ) {
    this.db = withWorkflowTables(store);
    this.clock = opts.clock ?? nowIso;
  }

  /** The workflow an instance is pinned to. */
  workflowOf(row: WorkflowInstanceTable): CompiledWorkflow {
    const wf = this.catalog.get(row.workflow_id, row.workflow_version);
    if (!wf) throw wfError('NX_ERR_WF_NO_INSTANCE');
    return wf;
  }

  /**
   * Starts the case of a new submission in its workflow's initial state, inside the caller's
   * transaction; does nothing when the form has no workflow or the case exists already.
   */
  async start(
    trx: Kysely<WorkflowDatabase>,
    sub: SubmissionTable,
    submitter: string,
  ): Promise<WorkflowInstanceTable | undefined> {
    const existing = await trx
      .selectFrom('workflow_instances')
      .selectAll()
      .where('submission_id', '=', sub.id)
      .executeTakeFirst();
    if (existing) return existing;
    const wf = this.catalog.forForm(sub.form_id);
    if (!wf) return undefined;
    const now = this.clock();
    const base: WorkflowInstanceTable = {
      id: randomUUID(),
      submission_id: sub.id,
      workflow_id: wf.id,
      workflow_version: wf.version,
      state: wf.initial,
      submitter_id: submitter,
      org_code: sub.org_code,
      org_path: sub.org_path,
      entered_at: now,
      approvals: '[]',
      version: 1,
      deadline_at: null,
      timer_due_at: null,
      created_at: now,
      updated_at: now,
    };
    const row = { ...base, ...clocksOf(wf, toSnapshot(base, periodOf(sub))) };
    await trx.insertInto('workflow_instances').values(row).execute();
    await writeAudit(asStore(trx), {
      actor: submitter,
      action: 'workflow.start',
      entityType: 'submission',
      entityId: sub.id,
      orgPath: sub.org_path,
      after: { workflow: wf.id, workflowVersion: wf.version, workflowState: wf.initial },
    });
    return row;
  }

  /**
   * Decides and writes one action. With `trx` it runs inside the caller's transaction (the
   * submit of a plain write); otherwise in its own. Refusals throw with the decision's status.
   */
  async decideAndApply(args: {
    readonly sub: SubmissionTable;
    readonly row: WorkflowInstanceTable;
    readonly actor: WorkflowActor;
    readonly action: string;
    readonly input: Readonly<Record<string, unknown>>;
    readonly trx?: Kysely<WorkflowDatabase>;
  }): Promise<ActionResult> {
    const wf = this.workflowOf(args.row);
    const data = JSON.parse(args.sub.data) as Record<string, unknown>;
    const now = this.clock();
    const decision = decide(wf, {
      instance: toSnapshot(args.row, periodOf(args.sub, data)),
      actor: args.actor,
      data,
      ctx: guardContext(now),
      action: args.action,
      input: args.input,
      now,
    });
    if (!decision.ok) throw refusalError(decision);
    const write = (trx: Kysely<WorkflowDatabase>) =>
      applyDecision(trx, {
        wf,
        effects: this.catalog.effects,
        row: args.row,
        submission: args.sub,
        data,
        decision,
        actor: args.actor,
        now,
      });
    const record = args.trx ? await write(args.trx) : await this.db.transaction().execute(write);
    return {
      submissionId: args.sub.id,
      action: args.action,
      from: decision.from,
      to: decision.to,
      moved: decision.moved,
      state: decision.next.state,
      record,
    };
  }

  /** `POST /api/submissions/:id/actions/:action`: 404 outside the caller's subtree, 403 wrong role or level. */
  async act(
    p: Principal,
    submissionId: string,
    action: string,
    body: { comment?: string; input?: Record<string, unknown> } = {},
  ): Promise<ActionResult> {
    const sub = await scopedRow(asStore(this.db), p, submissionId);
    const row = await this.db
      .selectFrom('workflow_instances')
      .selectAll()
      .where('submission_id', '=', sub.id)
      .executeTakeFirst();
    if (!row) throw wfError('NX_ERR_WF_NO_INSTANCE');
    const input = { ...(body.input ?? {}), ...(body.comment === undefined ? {} : { comment: body.comment }) };
    return this.decideAndApply({ sub, row, actor: await actorOf(this.db, p), action, input });
  }

  /** One action on many cases, each in its own transaction; a result per case, in the given order. */
  async bulk(
    p: Principal,
    action: string,
    submissionIds: readonly string[],
    comment?: string,
  ): Promise<BulkResult[]> {
    const out: BulkResult[] = [];
    for (const id of submissionIds) {
      try {
        const r = await this.act(p, id, action, comment === undefined ? {} : { comment });
        out.push({ submissionId: id, ok: true, state: r.state, moved: r.moved });
      } catch (err) {
        if (!(err instanceof NxError)) throw err;
        out.push({
          submissionId: id,
          ok: false,
          status: err.statusCode,
          code: err.code,
          message: err.messageText,
        });
      }
    }
    return out;
  }

  /** The case's history, oldest first (404 outside the caller's subtree). */
  async history(p: Principal, submissionId: string): Promise<HistoryEntry[]> {
    const sub = await scopedRow(asStore(this.db), p, submissionId);
    const rows = await this.db
      .selectFrom('workflow_history')
      .selectAll()
      .where('submission_id', '=', sub.id)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      action: r.action,
      from: r.from_state,
      to: r.to_state,
      actor: r.actor_id,
      at: r.at,
      comment: r.comment,
      input: JSON.parse(r.input) as Record<string, unknown>,
      effects: JSON.parse(r.effects) as { name: string; output: unknown }[],
    }));
  }

  /** What the caller may act on now. */
  async tasks(p: Principal, filters: TaskFilters = {}): Promise<Task[]> {
    return listTasks(this, await actorOf(this.db, p), p.orgPath, filters, this.clock());
  }

  /** Fires every timer due at `now` once (see `runDueTimers`). */
  runDueTimers(now: string = this.clock()): Promise<FiredTimer[]> {
    return runDueTimers(this, now);
  }
}
