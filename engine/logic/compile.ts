import { NxError } from '../errors/nx-error.ts';
import { LOGIC_MAX_DEPTH, meter, withFreshBudget } from './budget.ts';
import { constant, isConstant } from './constant.ts';
import { defaultOperationRegistry } from './registry.ts';
import type { Evaluator, LogicEnv, OperationRegistry } from './types.ts';
import { isForbiddenSegment, splitPath } from './var-path.ts';

/**
 * Compiles a JSON Logic rule once into a tree of closures (no eval, no per-call tree walking).
 * Semantics are those of json-logic-js 2.0.5; operations come from the registry, so a plugin's
 * operations work the same as the standard ones. Sub-trees of pure operations over constants are
 * computed at compile time.
 *
 * Throws NxError NX_ERR_LOGIC_UNKNOWN_OP for an operation the registry lacks,
 * NX_ERR_LOGIC_FORBIDDEN_PATH for a `var` path through `__proto__`, `constructor` or `prototype`,
 * NX_ERR_LOGIC_TOO_DEEP for a rule nested deeper than LOGIC_MAX_DEPTH, and the budget's codes
 * (budget.ts) for a constant part that is too costly to compute; `errors[0].path` is the JSON
 * pointer of the offending node inside the rule.
 *
 * Evaluation runs on the budget of budget.ts: each call of the returned evaluator gets a fresh
 * one, unless it runs inside `withLogicBudget`, whose calls share one.
 *
 * @example compileLogic({ '>': [{ var: 'age' }, 60] })({ data: { age: 70 } }) // true
 */
export function compileLogic(
  rule: unknown,
  registry: OperationRegistry = defaultOperationRegistry(),
): Evaluator {
  const root = compileNode(rule, registry, '', 0);
  if (isConstant(root)) return root;
  return (env) => {
    if (!meter.session) meter.used = 0;
    return root(env);
  };
}

const FOLD_ENV: LogicEnv = { data: null };

const BUDGET_CODES = new Set(['NX_ERR_LOGIC_BUDGET_EXCEEDED', 'NX_ERR_LOGIC_RESULT_TOO_LARGE']);

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function fail(code: string, pointer: string, zh: string, en: string, params: Record<string, unknown>): never {
  const message = { 'zh-CN': zh, en };
  throw new NxError(code, 400, message, [{ path: pointer, code, message, params }]);
}

function compileNode(rule: unknown, registry: OperationRegistry, pointer: string, depth: number): Evaluator {
  if (depth > LOGIC_MAX_DEPTH) {
    fail(
      'NX_ERR_LOGIC_TOO_DEEP',
      pointer,
      `规则嵌套超过 ${LOGIC_MAX_DEPTH} 层`,
      `The rule is nested more than ${LOGIC_MAX_DEPTH} levels deep`,
      { maxDepth: LOGIC_MAX_DEPTH },
    );
  }
  if (Array.isArray(rule)) {
    const items = rule.map((r, i) => compileNode(r, registry, `${pointer}/${i}`, depth + 1));
    if (items.every(isConstant)) return constant(items.map((ev) => ev(FOLD_ENV)));
    const n = items.length;
    return (env) => {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = (items[i] as Evaluator)(env);
      return out;
    };
  }
  if (rule === null || typeof rule !== 'object') return constant(rule);
  const keys = Object.keys(rule);
  // An object with other than exactly one key is data, not logic (json-logic-js `is_logic`).
  if (keys.length !== 1) return constant(rule);
  const op = keys[0] as string;
  const opPointer = `${pointer}/${escapePointer(op)}`;
  const def = registry.get(op);
  if (!def) {
    fail('NX_ERR_LOGIC_UNKNOWN_OP', opPointer, `未知的运算“${op}”`, `Unknown operation "${op}"`, { op });
  }
  const rawValue = (rule as Record<string, unknown>)[op];
  const isArr = Array.isArray(rawValue);
  const values: readonly unknown[] = isArr ? rawValue : [rawValue];
  if (op === 'var') checkVarPath(values[0], isArr ? `${opPointer}/0` : opPointer);
  const args = values.map((v, i) =>
    compileNode(v, registry, isArr ? `${opPointer}/${i}` : opPointer, depth + 2),
  );
  const ev = def.compile(args, values);
  if (def.pure && args.every(isConstant)) {
    try {
      return constant(withFreshBudget(() => ev(FOLD_ENV)));
    } catch (err) {
      // A constant too costly to compute is refused now, where the loader can point at it.
      if (err instanceof NxError && BUDGET_CODES.has(err.code)) {
        fail(err.code, opPointer, err.messageText['zh-CN'], err.messageText.en, {
          ...(err.errors?.[0]?.params ?? {}),
        });
      }
      return ev; // it throws at evaluation too, as json-logic-js would
    }
  }
  return ev;
}

function checkVarPath(path: unknown, pointer: string): void {
  if (path === null || path === undefined || typeof path === 'object') return;
  const segs = splitPath(String(path)).segments;
  const bad = segs.find(isForbiddenSegment);
  if (bad !== undefined) {
    fail('NX_ERR_LOGIC_FORBIDDEN_PATH', pointer, `规则不能读取“${bad}”`, `A rule may not read "${bad}"`, {
      path: String(path),
      segment: bad,
    });
  }
}
