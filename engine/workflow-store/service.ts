import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { NxError } from '../errors/nx-error.ts';
import type { Text } from '../i18n.ts';
import { type Clock, systemClock } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';
import { scopedRow } from '../submissions/scope.ts';
import type { SubmissionService } from '../submissions/service.ts';
import type { Submission } from '../submissions/submission.ts';
import type { CompiledWorkflow } from '../workflow/compile-workflow.ts';
import type { TransitionRecord } from '../workflow/types.ts';
import { type CaseFilters, type CaseSummary, listCaseSummaries } from './case-summaries.ts';
import type { WorkflowCatalog } from './catalog.ts';
import { wfError } from './errors.ts';
import { workflowOutcome } from './hooks.ts';
import { actorOf, clocksOf, periodOf, toSnapshot } from './instance.ts';
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
  /** The step in words, from the case's workflow version (the id when it no longer exists). */
  readonly label: Text;
  /** `return`, `reject`, `withdraw`, `timer` (a timer fired) … as the transition declares, else `normal`. */
  readonly kind: string;
  readonly fromLabel: Text;
  readonly toLabel: Text;
  /** The actor's display name (null for a timer, or an account without one). */
  readonly actorName: string | null;
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
  readonly clock?: Clock;
}

/**
 * Workflows in the store: starting cases, taking actions (one transaction each, compare-and-set
 * on the instance), task lists, history and due timers. Routes and the CLI call it.
 */
export class WorkflowService {
  readonly db: Kysely<WorkflowDatabase>;
  readonly clock: Clock;
  private submissions: SubmissionService | undefined;

  constructor(
    store: Kysely<Database>,
    readonly catalog: WorkflowCatalog,
    opts: WorkflowServiceOptions = {},
  ) {
    this.db = withWorkflowTables(store);
    this.clock = opts.clock ?? systemClock;
  }

  /** The workflow an instance is pinned to. */
  workflowOf(row: WorkflowInstanceTable): CompiledWorkflow {
    const wf = this.catalog.get(row.workflow_id, row.workflow_version);
    if (!wf) throw wfError('NX_ERR_WF_NO_INSTANCE');
    return wf;
  }

  /**
   * The row of a case starting now in the workflow's initial state (not stored: the save that
   * starts it writes it, pinned to the workflow's current version).
   */
  newInstance(
    wf: CompiledWorkflow,
    sub: Pick<Submission, 'id' | 'orgUnit' | 'period' | 'data'>,
    orgPath: string,
    submitter: string,
    now: string,
  ): WorkflowInstanceTable {
    const base: WorkflowInstanceTable = {
      id: randomUUID(),
      submission_id: sub.id,
      workflow_id: wf.id,
      workflow_version: wf.version,
      state: wf.initial,
      submitter_id: submitter,
      org_code: sub.orgUnit,
      org_path: orgPath,
      entered_at: now,
      approvals: '[]',
      version: 1,
      deadline_at: null,
      timer_due_at: null,
      created_at: now,
      updated_at: now,
    };
    return {
      ...base,
      ...clocksOf(wf, toSnapshot(base, periodOf({ period: sub.period, data: '' }, sub.data))),
    };
  }

  /** The save pipeline that actions go through (set by the app that owns both). */
  usePipeline(submissions: SubmissionService): void {
    this.submissions = submissions;
  }

  /**
   * `POST /api/submissions/:id/actions/:action`: the action as a save of the submission (see
   * `SubmissionService.act`) — 404 outside the caller's subtree, 403 wrong role or level, 409 not
   * now or someone acted first, 422 when a status it leads to needs data the case lacks.
   */
  async act(
    p: Principal,
    submissionId: string,
    action: string,
    body: { comment?: string; input?: Record<string, unknown> } = {},
  ): Promise<ActionResult> {
    if (!this.submissions) throw new Error('workflow actions need the save pipeline (usePipeline)');
    const input = { ...(body.input ?? {}), ...(body.comment === undefined ? {} : { comment: body.comment }) };
    const ctx = await this.submissions.act(p, submissionId, { action, input });
    const out = workflowOutcome(ctx);
    if (!out) throw wfError('NX_ERR_WF_NO_INSTANCE');
    return {
      submissionId,
      action,
      from: out.decision.from,
      to: out.decision.to,
      moved: out.decision.moved,
      state: out.decision.next.state,
      record: out.record,
    };
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
    // Words for the steps: the workflow version the case is pinned to; names for the actors.
    const inst = await this.db
      .selectFrom('workflow_instances')
      .select(['workflow_id', 'workflow_version'])
      .where('submission_id', '=', sub.id)
      .executeTakeFirst();
    const wf = inst ? this.catalog.get(inst.workflow_id, inst.workflow_version) : undefined;
    const actors = [...new Set(rows.map((r) => r.actor_id).filter((a): a is string => a !== null))];
    const names = new Map(
      (actors.length
        ? await this.db
            .selectFrom('users')
            .select(['username', 'display_name'])
            .where('username', 'in', actors)
            .execute()
        : []
      ).map((u) => [u.username, u.display_name]),
    );
    const words = (id: string): Text => ({ 'zh-CN': id, en: id });
    return rows.map((r) => {
      const t = wf?.find(r.from_state, r.action);
      return {
        id: Number(r.id),
        action: r.action,
        from: r.from_state,
        to: r.to_state,
        actor: r.actor_id,
        at: r.at,
        comment: r.comment,
        input: JSON.parse(r.input) as Record<string, unknown>,
        effects: JSON.parse(r.effects) as { name: string; output: unknown }[],
        label: t?.label ?? words(r.action),
        kind: r.actor_id === null ? 'timer' : (t?.kind ?? 'normal'),
        fromLabel: wf?.state(r.from_state)?.label ?? words(r.from_state),
        toLabel: wf?.state(r.to_state)?.label ?? words(r.to_state),
        actorName: r.actor_id === null ? null : (names.get(r.actor_id) ?? null),
      };
    });
  }

  /** What the caller may act on now. */
  async tasks(p: Principal, filters: TaskFilters = {}): Promise<Task[]> {
    return listTasks(this, await actorOf(this.db, p), p.orgPath, filters, this.clock());
  }

  /** The caller's cases as lists show them (family, unit, step, who next, by when); see `listCaseSummaries`. */
  cases(p: Principal, filters: CaseFilters = {}): Promise<CaseSummary[]> {
    return listCaseSummaries(this.db, this.catalog, p, filters, this.clock());
  }

  /** Fires every timer due at `now` once (see `runDueTimers`). */
  runDueTimers(now: string = this.clock()): Promise<FiredTimer[]> {
    return runDueTimers(this, now);
  }
}
