import type { Evaluator } from './types.ts';

/**
 * Evaluators known at compile time to return a fixed value. The compiler folds an operation whose
 * arguments are all constant; operations use `constantOf` to precompute from constant arguments.
 */
const constants = new WeakMap<Evaluator, { value: unknown }>();

/** An evaluator that always returns `value`. Arrays are frozen because the instance is shared. */
export function constant(value: unknown): Evaluator {
  if (Array.isArray(value)) Object.freeze(value);
  const ev: Evaluator = () => value;
  constants.set(ev, { value });
  return ev;
}

export function isConstant(ev: Evaluator | undefined): boolean {
  return ev !== undefined && constants.has(ev);
}

/** The value of a constant evaluator, or `undefined` in `{ value }`-less form when not constant. */
export function constantOf(ev: Evaluator | undefined): { value: unknown } | undefined {
  return ev === undefined ? undefined : constants.get(ev);
}

/** Evaluates to `undefined`: stands in for an argument the rule did not give. */
export const UNDEFINED: Evaluator = constant(undefined);
