import type { Evaluator, LogicEnv, OperationDefinition } from '../types.ts';

/** Shorthand for declaring an operation. */
export function defineOp(
  name: string,
  description: string,
  arity: readonly [number, number],
  compile: (args: readonly Evaluator[], raw: readonly unknown[]) => Evaluator,
  extra: { pure?: boolean; scopedArgs?: readonly number[] } = {},
): OperationDefinition {
  return {
    name,
    description,
    arity,
    compile,
    pure: extra.pure ?? false,
    ...(extra.scopedArgs ? { scopedArgs: extra.scopedArgs } : {}),
  };
}

const undef: Evaluator = () => undefined;

/** Argument `i`, or an evaluator of `undefined` when the rule did not give it. */
export function argAt(args: readonly Evaluator[], i: number): Evaluator {
  return args[i] ?? undef;
}

/** The environment for one array item: the item is `data`; `row` and `ctx` stay those of the caller. */
export function itemEnv(env: LogicEnv, item: unknown): LogicEnv {
  return { data: item, row: env.row, ctx: env.ctx };
}

export interface ItemScope {
  /** Points the scope at `item` (keeping the caller's row and context) and returns it. */
  at(env: LogicEnv, item: unknown): LogicEnv;
}

/**
 * One reusable item environment per compiled operation node, so iterating allocates nothing.
 * Safe because evaluation is synchronous and a node is never its own descendant; evaluators
 * must not keep the environment after they return.
 */
export function itemScope(): ItemScope {
  const scratch: { data: unknown; row: unknown; ctx: LogicEnv['ctx'] } = {
    data: undefined,
    row: undefined,
    ctx: undefined,
  };
  return {
    at(env, item) {
      scratch.data = item;
      scratch.row = env.row;
      scratch.ctx = env.ctx;
      return scratch;
    },
  };
}
