import type { Text } from '../i18n.ts';
import { compileLogic } from '../logic/compile.ts';
import type { Evaluator, OperationRegistry } from '../logic/types.ts';
import type { EffectCall } from './types.ts';
import type { Actor, Input, StateDefinition, TransitionKind, WorkflowDefinition } from './workflow-schema.ts';

/** A transition ready to run: its guard compiled, its `from` a list. */
export interface CompiledTransition {
  /** Position in the definition's `transitions` (for pointers in messages). */
  readonly index: number;
  readonly action: string;
  readonly label: Text;
  readonly from: readonly string[];
  readonly to: string;
  readonly kind: TransitionKind;
  readonly by: readonly Actor[];
  readonly guard: Evaluator | undefined;
  readonly effects: readonly EffectCall[];
  readonly input: readonly Input[];
  /** Roles that must all approve; undefined for any-of. */
  readonly countersign: readonly string[] | undefined;
}

/** A loaded workflow compiled for the engine (`availableActions`, `decide`, timers). */
export interface CompiledWorkflow {
  readonly definition: WorkflowDefinition;
  readonly id: string;
  readonly version: number;
  readonly form: string;
  readonly initial: string;
  state(id: string): StateDefinition | undefined;
  transitionsFrom(state: string): readonly CompiledTransition[];
  /** The transition taking `action` from `state`, if any. */
  find(state: string, action: string): CompiledTransition | undefined;
  /** Whether any state has this action. */
  hasAction(action: string): boolean;
  /** Who may act in a state (role and level), for task queries; timer-only transitions add nobody. */
  actorsOf(state: string): readonly Actor[];
}

/**
 * Compiles a workflow that `loadWorkflow` accepted. Guards become closures (no eval).
 * Example: `const wf = compileWorkflow(loaded.value)`.
 */
export function compileWorkflow(
  def: WorkflowDefinition,
  opts: { operations?: OperationRegistry } = {},
): CompiledWorkflow {
  const byState = new Map<string, CompiledTransition[]>();
  const actions = new Set<string>();
  def.transitions.forEach((t, index) => {
    const ct: CompiledTransition = {
      index,
      action: t.action,
      label: t.label,
      from: typeof t.from === 'string' ? [t.from] : t.from,
      to: t.to,
      kind: t.kind ?? 'normal',
      by: t.by,
      guard: t.guard === undefined ? undefined : compileLogic(t.guard, opts.operations),
      effects: (t.effects ?? []).map((e) =>
        e.with === undefined ? { name: e.name } : { name: e.name, params: e.with },
      ),
      input: t.input ?? [],
      countersign: t.countersign?.roles,
    };
    actions.add(t.action);
    for (const s of ct.from) {
      const list = byState.get(s) ?? [];
      list.push(ct);
      byState.set(s, list);
    }
  });
  return {
    definition: def,
    id: def.id,
    version: def.version,
    form: def.form,
    initial: def.initial,
    state: (id) => (Object.hasOwn(def.states, id) ? def.states[id] : undefined),
    transitionsFrom: (state) => byState.get(state) ?? [],
    find: (state, action) => byState.get(state)?.find((t) => t.action === action),
    hasAction: (action) => actions.has(action),
    actorsOf(state) {
      const seen = new Map<string, Actor>();
      for (const t of byState.get(state) ?? []) for (const a of t.by) seen.set(`${a.role}@${a.level}`, a);
      return [...seen.values()];
    },
  };
}
