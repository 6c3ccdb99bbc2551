import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { InstanceSnapshot, WorkflowActor } from './types.ts';

/** The submission a workflow runs on, as an effect sees it. */
export interface EffectSubmission {
  readonly id?: string;
  readonly formId?: string;
  readonly orgUnit?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What an effect receives: one readonly args object. */
export interface EffectContext {
  readonly submission: EffectSubmission;
  readonly instance: InstanceSnapshot;
  /** The stored case's id (`workflow_instances.id`); absent where a workflow runs without a store. */
  readonly caseId?: string;
  /** Who took the action; undefined when a timer fired it. */
  readonly actor: WorkflowActor | undefined;
  /** The values the actor filled in (amount, date, comment …). */
  readonly input: Readonly<Record<string, unknown>>;
  /** ISO 8601 instant of the transition. */
  readonly now: string;
  /** The transition's `with` for this effect. */
  readonly params?: Readonly<Record<string, unknown>>;
  /**
   * The transition's open transaction: what the effect writes here commits with the step or not
   * at all. Absent only where a workflow runs without a store (a dry run, a unit test).
   */
  readonly db?: Kysely<Database>;
}

/**
 * A named action a plugin provides to workflows (`rules.evaluate`, `notify.sms` …). Its result
 * is recorded with the transition; throwing aborts the transition (the store rolls back).
 */
export interface EffectDefinition {
  readonly name: string;
  /** One line for docs and editor hints. */
  readonly description?: string;
  /**
   * Parameters that name a definition, by parameter → kind (`{ ruleset: 'ruleset' }`): a workflow
   * whose `with` names one that does not exist fails `nuanxin validate`, at that parameter.
   */
  readonly references?: Readonly<Record<string, string>>;
  run(ctx: EffectContext): Promise<Record<string, unknown> | undefined>;
}

/** Effects by name. Workflows are checked against it at load, so a missing plugin fails early. */
export interface EffectRegistry {
  register(effect: EffectDefinition): void;
  get(name: string): EffectDefinition | undefined;
  has(name: string): boolean;
  names(): string[];
  /** A copy that can be extended without changing this one. */
  fork(): EffectRegistry;
}

const EFFECT_NAME = /^[A-Za-z@][\w@/.-]*$/;

/** An empty effect registry (the engine itself ships no effects: they come from plugins). */
export function createEffectRegistry(initial: readonly EffectDefinition[] = []): EffectRegistry {
  const byName = new Map<string, EffectDefinition>();
  const registry: EffectRegistry = {
    register(effect) {
      if (!EFFECT_NAME.test(effect.name)) {
        throw new TypeError(`Effect names look like "plugin.action": ${JSON.stringify(effect.name)}`);
      }
      if (byName.has(effect.name)) throw new TypeError(`Effect already registered: ${effect.name}`);
      byName.set(effect.name, effect);
    },
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    names: () => [...byName.keys()].sort(),
    fork: () => createEffectRegistry([...byName.values()]),
  };
  for (const e of initial) registry.register(e);
  return registry;
}
