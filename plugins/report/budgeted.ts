import { type Evaluator, type LogicBudget, withLogicBudget } from '../../engine/entry/runtime.ts';

/**
 * An evaluator that spends the request's logic budget: a report evaluates its filter and columns
 * once per row, so a report over many rows is bounded as a whole, not only row by row
 * (NX_ERR_LOGIC_BUDGET_EXCEEDED once the request's budget is spent).
 */
export function budgeted(ev: Evaluator, budget: LogicBudget | undefined): Evaluator {
  if (!budget) return ev;
  return (env) => withLogicBudget(() => ev(env), budget);
}
