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
  /** Steps spent before this run (a request's budget carried over); 0 otherwise. */
  base: number;
  /** The limit is a request's, not one evaluation's. */
  request: boolean;
}

/** One shared meter: evaluation is synchronous, so no two evaluations interleave. */
export const meter: Meter = { used: 0, limit: LOGIC_MAX_STEPS, session: false, base: 0, request: false };

/** Adds `n` steps; throws NX_ERR_LOGIC_BUDGET_EXCEEDED past the limit. */
export function charge(n: number): void {
  meter.used += n;
  if (meter.used > meter.limit) budgetExceeded();
}

function budgetExceeded(): never {
  const request = meter.request;
  const limit = request ? meter.limit : meter.limit - meter.base;
  const message = request
    ? {
        'zh-CN': `本次请求的规则计算量超过上限（${limit} 步）：请缩小范围（单位、期间）后重试`,
        en: `The rules of this request need more than the allowed ${limit} steps: narrow it (org unit, period) and try again`,
      }
    : {
        'zh-CN': `规则计算量超过上限（${limit} 步）`,
        en: `The rule needs more than the allowed ${limit} steps`,
      };
  throw new NxError('NX_ERR_LOGIC_BUDGET_EXCEEDED', 422, message, [
    {
      path: '',
      code: 'NX_ERR_LOGIC_BUDGET_EXCEEDED',
      message,
      params: request ? { maxSteps: limit, scope: 'request' } : { maxSteps: limit },
    },
  ]);
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

/** Steps one request may take over all its evaluations (a report or a rules run over many rows). */
export const LOGIC_MAX_REQUEST_STEPS = 50_000_000;

/**
 * A budget that outlives one synchronous run: a request's. Each `withLogicBudget(fn, budget)`
 * takes up where the last one left off, so a report that evaluates its rules row by row, between
 * database reads, spends one budget for the whole request. Every evaluation run this way costs
 * at least one step, so many cheap evaluations add up too.
 */
export interface LogicBudget {
  used: number;
  readonly limit: number;
}

/** A fresh per-request budget (default `LOGIC_MAX_REQUEST_STEPS`). */
export function createLogicBudget(limit: number = LOGIC_MAX_REQUEST_STEPS): LogicBudget {
  return { used: 0, limit };
}

/**
 * Runs `fn` with one budget for every rule it evaluates (a whole form validation shares one).
 * Nested calls share the outer budget. Outside such a run, each top-level evaluation of a
 * compiled rule gets a fresh budget of its own. Given a `LogicBudget`, the run continues that
 * budget and leaves what it spent in it (one step at least).
 */
export function withLogicBudget<T>(fn: () => T, limit: number | LogicBudget = LOGIC_MAX_STEPS): T {
  if (meter.session) return fn();
  const shared = typeof limit === 'object' ? limit : undefined;
  meter.session = true;
  meter.used = shared ? shared.used : 0;
  // The step each run on a request's budget costs is the request's, not the evaluation's.
  meter.base = shared ? shared.used + 1 : 0;
  // One run on a request's budget still stops at one evaluation's limit.
  const own = shared ? shared.used + 1 + LOGIC_MAX_STEPS : (limit as number);
  meter.request = shared !== undefined && shared.limit <= own;
  meter.limit = shared ? Math.min(shared.limit, own) : own;
  try {
    if (shared) charge(1);
    return fn();
  } finally {
    if (shared) shared.used = meter.used;
    meter.session = false;
    meter.limit = LOGIC_MAX_STEPS;
    meter.base = 0;
    meter.request = false;
  }
}

/** Runs `fn` on a fresh budget and puts the meter back afterwards (compile-time folding). */
export function withFreshBudget<T>(fn: () => T): T {
  const { used, limit, base, request } = meter;
  meter.used = 0;
  meter.limit = LOGIC_MAX_STEPS;
  meter.base = 0;
  meter.request = false;
  try {
    return fn();
  } finally {
    meter.used = used;
    meter.limit = limit;
    meter.base = base;
    meter.request = request;
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
