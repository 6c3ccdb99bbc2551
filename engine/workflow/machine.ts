import { type WorkflowCode, workflowCodes } from '../errors/codes-workflow.ts';
import type { ErrorDetail } from '../errors/nx-error.ts';
import { truthy } from '../logic/truthy.ts';
import type { CompiledTransition, CompiledWorkflow } from './compile-workflow.ts';
import { checkInput, inputsOf } from './input.ts';
import { fillsActor, inCaseSubtree } from './scope.ts';
import type {
  Approval,
  AvailableAction,
  Decision,
  DecisionStatus,
  InstanceSnapshot,
  TransitionRecord,
  WorkflowActor,
} from './types.ts';

/** What the engine needs to answer "what may this person do with this case now?". */
export interface ActionQuery {
  readonly instance: InstanceSnapshot;
  readonly actor: WorkflowActor;
  /** The submission's data, for guards. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Guard context (`{"var":"ctx.today"}` …); `now` is added to it. */
  readonly ctx?: Readonly<Record<string, unknown>>;
}

export interface DecideRequest extends ActionQuery {
  readonly action: string;
  readonly input?: Readonly<Record<string, unknown>>;
  /** ISO 8601 instant of the decision. */
  readonly now: string;
}

/** A refusal as data, with the registry's status and message. */
export function refuse(code: WorkflowCode, errors?: readonly ErrorDetail[]): Decision {
  const info = workflowCodes[code];
  const base = { ok: false as const, code, status: info.status as DecisionStatus, message: info.message };
  return errors === undefined ? base : { ...base, errors };
}

/** Runs a transition's guard over the submission; no guard means allowed. */
export function guardPasses(
  t: CompiledTransition,
  data: Readonly<Record<string, unknown>> | undefined,
  ctx: Readonly<Record<string, unknown>> | undefined,
  now: string | undefined,
): boolean {
  if (t.guard === undefined) return true;
  return truthy(t.guard({ data: data ?? {}, ctx: { ...ctx, ...(now === undefined ? {} : { now }) } }));
}

/** The countersign role an actor's approval would count for, if any is still open to them. */
function countersignRole(t: CompiledTransition, q: ActionQuery): string | undefined {
  const roles = t.countersign ?? [];
  const taken = new Set(q.instance.approvals.filter((a) => a.action === t.action).map((a) => a.role));
  return roles.find(
    (role) => !taken.has(role) && t.by.some((b) => b.role === role && fillsActor(b, q.instance, q.actor)),
  );
}

const pendingRoles = (t: CompiledTransition, approvals: readonly Approval[]): string[] =>
  (t.countersign ?? []).filter((r) => !approvals.some((a) => a.action === t.action && a.role === r));

/**
 * Why this actor may not take this transition now (null when they may), checked in the order a
 * caller should learn it: role and level (403), submitter-only withdraw (403/409), countersign (409).
 */
function refusal(t: CompiledTransition, q: ActionQuery): WorkflowCode | null {
  if (!t.by.some((b) => fillsActor(b, q.instance, q.actor))) return 'NX_ERR_WF_FORBIDDEN';
  if (t.kind === 'withdraw') {
    if (q.actor.id !== q.instance.submitterId) return 'NX_ERR_WF_NOT_SUBMITTER';
    // "Until the next actor acts": any approval recorded in this state closes the window.
    if (q.instance.approvals.length > 0) return 'NX_ERR_WF_ALREADY_ACTED';
  }
  if (t.countersign !== undefined) {
    if (q.instance.approvals.some((a) => a.action === t.action && a.actorId === q.actor.id)) {
      return 'NX_ERR_WF_ALREADY_APPROVED';
    }
    if (countersignRole(t, q) === undefined) return 'NX_ERR_WF_ALREADY_APPROVED';
  }
  return null;
}

/**
 * The actions `actor` may take on the case now (role, level, subtree, withdraw window,
 * countersign progress and guards all considered). Outside the case's subtree: none.
 */
export function availableActions(wf: CompiledWorkflow, q: ActionQuery & { now?: string }): AvailableAction[] {
  if (!inCaseSubtree(q.instance, q.actor)) return [];
  const out: AvailableAction[] = [];
  for (const t of wf.transitionsFrom(q.instance.state)) {
    if (refusal(t, q) !== null || !guardPasses(t, q.data, q.ctx, q.now)) continue;
    const action: AvailableAction = {
      action: t.action,
      label: t.label,
      kind: t.kind,
      to: t.to,
      input: inputsOf(t.input).map((i) => ({
        id: i.id,
        type: i.type,
        label: i.label,
        required: i.required ?? false,
      })),
    };
    if (t.countersign === undefined) out.push(action);
    else {
      const pending = pendingRoles(t, q.instance.approvals);
      out.push({ ...action, countersign: { pending, completes: pending.length === 1 } });
    }
  }
  return out;
}

/**
 * Decides one action on one case, purely: either the move (target state, effects to run, the
 * audit record and the next instance snapshot) or a refusal with its HTTP status —
 * 404 outside the case's subtree or unknown action, 403 wrong role/level (or not the submitter),
 * 409 not possible in this state (or guard false, already approved, withdraw too late),
 * 422 input missing or invalid. A countersign records the approval and moves only when complete.
 */
export function decide(wf: CompiledWorkflow, req: DecideRequest): Decision {
  const { instance, actor } = req;
  if (!inCaseSubtree(instance, actor)) return refuse('NX_ERR_WF_OUTSIDE_SCOPE');
  if (!wf.hasAction(req.action)) return refuse('NX_ERR_WF_UNKNOWN_ACTION');
  const t = wf.find(instance.state, req.action);
  if (t === undefined) return refuse('NX_ERR_WF_NOT_IN_STATE');
  const why = refusal(t, req);
  if (why !== null) return refuse(why);
  const checked = checkInput(t.input, req.input ?? {});
  if (!checked.ok) return refuse(checked.code as WorkflowCode, checked.errors);
  if (!guardPasses(t, req.data, req.ctx, req.now)) return refuse('NX_ERR_WF_GUARD_FAILED');

  const comment = typeof checked.values.comment === 'string' ? checked.values.comment : undefined;
  const base = {
    action: t.action,
    kind: t.kind,
    from: instance.state,
    actorId: actor.id,
    actorRoles: [...actor.roles],
    actorOrg: actor.orgCode,
    at: req.now,
    input: checked.values,
    ...(comment === undefined ? {} : { comment }),
  };

  if (t.countersign !== undefined) {
    const role = countersignRole(t, req)!;
    const approval: Approval = {
      action: t.action,
      actorId: actor.id,
      role,
      at: req.now,
      ...(comment === undefined ? {} : { comment }),
    };
    const approvals = [...instance.approvals, approval];
    const pending = pendingRoles(t, approvals);
    const approved = approvals.filter((a) => a.action === t.action).map((a) => a.role);
    const countersign = { role, approved, pending };
    if (pending.length > 0) {
      const record: TransitionRecord = { ...base, to: instance.state, moved: false, countersign };
      return {
        ok: true,
        from: instance.state,
        to: instance.state,
        moved: false,
        effects: [],
        record,
        next: { ...instance, approvals },
      };
    }
    return move(t, instance, req.now, { ...base, to: t.to, moved: true, countersign });
  }
  return move(t, instance, req.now, { ...base, to: t.to, moved: true });
}

/** The successful move: new state, approvals cleared, the clock of the new state started. */
export function move(
  t: CompiledTransition,
  instance: InstanceSnapshot,
  now: string,
  record: TransitionRecord,
): Decision {
  return {
    ok: true,
    from: instance.state,
    to: t.to,
    moved: true,
    effects: t.effects,
    record,
    next: { ...instance, state: t.to, approvals: [], enteredAt: now },
  };
}
