import { charge, ruleWeight } from '../budget.ts';
import { truthy } from '../truthy.ts';
import type { Evaluator, LogicEnv, OperationDefinition } from '../types.ts';
import { argAt, defineOp, type ItemScope, itemEnv, itemScope } from './define.ts';

/**
 * The standard operations that apply a rule to each item of an array (map, filter, all, none,
 * some, reduce): the item becomes `data`, as in json-logic-js; `row` and `ctx` stay the caller's.
 * Each call charges the budget up front: items × the size of the rule applied to each.
 */

const scoped = (
  name: string,
  description: string,
  run: (items: unknown[], fn: Evaluator, env: LogicEnv, scope: ItemScope) => unknown,
  notArray: (env: LogicEnv) => unknown,
  emptyToo: boolean,
) =>
  defineOp(
    name,
    description,
    [2, 2],
    (args, raw) => {
      const src = argAt(args, 0);
      const fn = argAt(args, 1);
      const scope = itemScope();
      const weight = ruleWeight(raw[1]);
      return (env) => {
        const items = src(env);
        if (!Array.isArray(items) || (emptyToo && items.length === 0)) return notArray(env);
        charge(items.length * weight);
        return run(items, fn, env, scope);
      };
    },
    { pure: true, scopedArgs: [1] },
  );

export const scopedOperations: readonly OperationDefinition[] = [
  scoped(
    'map',
    'Applies a rule to each item',
    (items, fn, env, scope) => {
      const out = new Array<unknown>(items.length);
      for (let i = 0; i < items.length; i++) out[i] = fn(scope.at(env, items[i]));
      return out;
    },
    () => [],
    false,
  ),
  scoped(
    'filter',
    'Items for which the rule is truthy',
    (items, fn, env, scope) => {
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) if (truthy(fn(scope.at(env, items[i])))) out.push(items[i]);
      return out;
    },
    () => [],
    false,
  ),
  scoped(
    'all',
    'True when the rule holds for every item (false for no items)',
    (items, fn, env, scope) => {
      for (let i = 0; i < items.length; i++) if (!truthy(fn(scope.at(env, items[i])))) return false;
      return true;
    },
    () => false,
    true,
  ),
  scoped(
    'none',
    'True when the rule holds for no item',
    (items, fn, env, scope) => {
      for (let i = 0; i < items.length; i++) if (truthy(fn(scope.at(env, items[i])))) return false;
      return true;
    },
    () => true,
    true,
  ),
  scoped(
    'some',
    'True when the rule holds for at least one item',
    (items, fn, env, scope) => {
      for (let i = 0; i < items.length; i++) if (truthy(fn(scope.at(env, items[i])))) return true;
      return false;
    },
    () => false,
    true,
  ),
  defineOp(
    'reduce',
    'Folds items with {"var":"current"} and {"var":"accumulator"}',
    [2, 3],
    (args, raw) => {
      const src = argAt(args, 0);
      const fn = argAt(args, 1);
      const init = raw[2] !== undefined ? argAt(args, 2) : () => null;
      const weight = ruleWeight(raw[1]);
      return (env) => {
        const items = src(env);
        const initial = init(env);
        if (!Array.isArray(items)) return initial;
        charge(items.length * weight);
        let acc = initial;
        for (let i = 0; i < items.length; i++)
          acc = fn(itemEnv(env, { current: items[i], accumulator: acc }));
        return acc;
      };
    },
    { pure: true, scopedArgs: [1] },
  ),
];
