import type { Text } from '../i18n.ts';
import type { CompiledWorkflow } from './compile-workflow.ts';
import { type ActionQuery, availableActions } from './machine.ts';
import { deadlineOf, isOverdue, timerDueAt } from './timers.ts';
import type { AvailableAction, WorkflowActor } from './types.ts';

/** One entry of a person's task list: a case they may act on now, with its clocks. */
export interface TaskView {
  readonly state: string;
  readonly stateLabel: Text;
  readonly actions: readonly AvailableAction[];
  /** When the task becomes overdue (ISO instant), or null. */
  readonly deadline: string | null;
  readonly overdue: boolean;
  /** When the state's timer fires, or null. */
  readonly timerDueAt: string | null;
}

/**
 * The task-list entry of one case for one person, or null when they may do nothing with it now
 * (`GET /api/tasks` keeps the non-null ones).
 */
export function taskView(wf: CompiledWorkflow, q: ActionQuery & { readonly now: string }): TaskView | null {
  const actions = availableActions(wf, q);
  if (actions.length === 0) return null;
  const state = wf.state(q.instance.state);
  return {
    state: q.instance.state,
    stateLabel: state?.label ?? { 'zh-CN': q.instance.state, en: q.instance.state },
    actions,
    deadline: deadlineOf(wf, q.instance),
    overdue: isOverdue(wf, q.instance, q.now),
    timerDueAt: timerDueAt(wf, q.instance),
  };
}

/**
 * The states in which someone with these roles at this level could act on a case of their
 * subtree — what a store filters on before asking `taskView` about each case. Cases must also
 * lie at or below the actor's unit, with the actor's unit at exactly this level on their path.
 */
export function statesActableBy(
  wf: CompiledWorkflow,
  actor: Pick<WorkflowActor, 'roles' | 'orgLevel'>,
): string[] {
  return Object.keys(wf.definition.states).filter((s) =>
    wf.actorsOf(s).some((a) => a.level === actor.orgLevel && actor.roles.includes(a.role)),
  );
}
