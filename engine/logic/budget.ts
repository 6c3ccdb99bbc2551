import { NxError } from '../errors/nx-error.ts';

/**
 * The evaluation budget of JSON Logic: a rule from a definition cannot run longer or build bigger
 * values than these limits, whatever its data. Work that grows with data is charged up front, once
 * per operation call (a loop charges items × the size of its body; `in`, `merge`, `cat`, `missing`
 * charge the length they walk or build), so the fast path pays one addition and one comparison.
 * Work that does not grow with data is bounded by the rule's size, which the loaders cap.
 */

/** Steps one evaluation may take: about a node evaluated per step (tens of milliseconds at most). */
export const LOGIC_MAX_STEPS = 1_000_000;
/** Longest string a rule may build (`cat`), in UTF-16 code units. */
export const LOGIC_MAX_STRING = 100_000;
/** Longest array a rule may build (`merge`, `map`, `filter`). */
export const LOGIC_MAX_ARRAY = 100_000;
/** Deepest rule the compiler accepts (nested operations and arrays). */
export const LOGIC_MAX_DEPTH = 100;

interface Meter {
  used: number;
  limit: number;
  /** True while a `withLogicBudget` run is open: its evaluations share one budget. */
  session: boolean;
}

/** One shared meter: evaluation is synchronous, so no two evaluations interleave. */
export const meter: Meter = { used: 0, limit: LOGIC_MAX_STEPS, session: false };

/** Adds `n` steps; throws NX_ERR_LOGIC_BUDGET_EXCEEDED past the limit. */
export function charge(n: number): void {
  meter.used += n;
  if (meter.used > meter.limit) budgetExceeded();
}

function budgetExceeded(): never {
  const limit = meter.limit;
  throw new NxError(
    'NX_ERR_LOGIC_BUDGET_EXCEEDED',
    422,
    {
      'zh-CN': `规则计算量超过上限（${limit} 步）`,
      en: `The rule needs more than the allowed ${limit} steps`,
    },
    [
      {
        path: '',
        code: 'NX_ERR_LOGIC_BUDGET_EXCEEDED',
        message: {
          'zh-CN': `规则计算量超过上限（${limit} 步）`,
          en: `The rule needs more than the allowed ${limit} steps`,
        },
        params: { maxSteps: limit },
      },
    ],
  );
}

/** Throws NX_ERR_LOGIC_RESULT_TOO_LARGE when a built string or array is longer than allowed. */
export function checkSize(length: number, kind: 'string' | 'array'): void {
  const max = kind === 'string' ? LOGIC_MAX_STRING : LOGIC_MAX_ARRAY;
  if (length <= max) return;
  const zh = kind === 'string' ? `规则生成的文本超过 ${max} 个字符` : `规则生成的数组超过 ${max} 项`;
  const en =
    kind === 'string'
      ? `The rule builds a text longer than ${max} characters`
      : `The rule builds an array of more than ${max} items`;
  const message = { 'zh-CN': zh, en };
  throw new NxError('NX_ERR_LOGIC_RESULT_TOO_LARGE', 422, message, [
    { path: '', code: 'NX_ERR_LOGIC_RESULT_TOO_LARGE', message, params: { kind, max, length } },
  ]);
}

/**
 * Runs `fn` with one budget for every rule it evaluates (a whole form validation shares one).
 * Nested calls share the outer budget. Outside such a run, each top-level evaluation of a
 * compiled rule gets a fresh budget of its own.
 */
export function withLogicBudget<T>(fn: () => T, limit: number = LOGIC_MAX_STEPS): T {
  if (meter.session) return fn();
  meter.session = true;
  meter.used = 0;
  meter.limit = limit;
  try {
    return fn();
  } finally {
    meter.session = false;
    meter.limit = LOGIC_MAX_STEPS;
  }
}

/** Runs `fn` on a fresh budget and puts the meter back afterwards (compile-time folding). */
export function withFreshBudget<T>(fn: () => T): T {
  const { used, limit } = meter;
  meter.used = 0;
  meter.limit = LOGIC_MAX_STEPS;
  try {
    return fn();
  } finally {
    meter.used = used;
    meter.limit = limit;
  }
}

const weights = new WeakMap<object, number>();

/**
 * The number of JSON nodes in a rule: the steps one evaluation of it costs at most, not counting
 * the loops inside it (those charge for themselves). Memoised, so nested loops cost O(size).
 */
export function ruleWeight(rule: unknown): number {
  if (rule === null || typeof rule !== 'object') return 1;
  const known = weights.get(rule);
  if (known !== undefined) return known;
  let w = 1;
  if (Array.isArray(rule)) for (const r of rule) w += ruleWeight(r);
  else for (const k of Object.keys(rule)) w += ruleWeight((rule as Record<string, unknown>)[k]);
  weights.set(rule, w);
  return w;
}
