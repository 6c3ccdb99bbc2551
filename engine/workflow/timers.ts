import type { CompiledWorkflow } from './compile-workflow.ts';
import { addDuration, endOfDay, toMs } from './duration.ts';
import { guardPasses, move, refuse } from './machine.ts';
import { findPeriod } from './report-status.ts';
import type { Decision, DueTimer, InstanceSnapshot } from './types.ts';

/** When the current state's timer fires (ISO instant), or null when the state has none. */
export function timerDueAt(wf: CompiledWorkflow, instance: InstanceSnapshot): string | null {
  const timer = wf.state(instance.state)?.timer;
  return timer === undefined ? null : addDuration(instance.enteredAt, timer.after);
}

/**
 * The timers due at `now` (at most one: a state has one timer). A timer whose time has passed
 * long ago is still due: after a restart it fires late rather than never.
 */
export function dueTimers(wf: CompiledWorkflow, instance: InstanceSnapshot, now: string): DueTimer[] {
  const dueAt = timerDueAt(wf, instance);
  const timer = wf.state(instance.state)?.timer;
  if (dueAt === null || timer === undefined || toMs(dueAt) > toMs(now)) return [];
  return [{ action: timer.action, dueAt }];
}

/**
 * Fires the current state's timer if it is due: the same move as a person's action, recorded
 * with no actor. Not due → 409 NX_ERR_WF_TIMER_NOT_DUE; a guard that fails → 409 as well.
 */
export function fireTimer(
  wf: CompiledWorkflow,
  req: {
    readonly instance: InstanceSnapshot;
    readonly now: string;
    readonly data?: Readonly<Record<string, unknown>>;
    readonly ctx?: Readonly<Record<string, unknown>>;
  },
): Decision {
  const [due] = dueTimers(wf, req.instance, req.now);
  if (due === undefined) return refuse('NX_ERR_WF_TIMER_NOT_DUE');
  const t = wf.find(req.instance.state, due.action);
  if (t === undefined) return refuse('NX_ERR_WF_NOT_IN_STATE');
  if (!guardPasses(t, req.data, req.ctx, req.now)) return refuse('NX_ERR_WF_GUARD_FAILED');
  return move(t, req.instance, req.now, {
    action: t.action,
    kind: t.kind,
    from: req.instance.state,
    to: t.to,
    moved: true,
    actorId: null,
    actorRoles: [],
    actorOrg: null,
    at: req.now,
    input: {},
    timer: true,
  });
}

/**
 * The instant a task in the current state becomes overdue, or null when the state has no
 * deadline (or the instance's period is not one of the state's periods).
 */
export function deadlineOf(wf: CompiledWorkflow, instance: InstanceSnapshot): string | null {
  const deadline = wf.state(instance.state)?.deadline;
  if (deadline === undefined) return null;
  if (deadline.after !== undefined) return addDuration(instance.enteredAt, deadline.after);
  if (deadline.periods === undefined || instance.period === undefined) return null;
  const period = findPeriod(deadline.periods, instance.period);
  return period === undefined ? null : endOfDay(period.due);
}

/** Whether the task in the current state is past its deadline at `now`. */
export function isOverdue(wf: CompiledWorkflow, instance: InstanceSnapshot, now: string): boolean {
  const at = deadlineOf(wf, instance);
  return at !== null && toMs(now) > toMs(at);
}
