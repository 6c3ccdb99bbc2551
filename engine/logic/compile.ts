import { NxError } from '../errors/nx-error.ts';
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
 * Throws NxError NX_ERR_LOGIC_UNKNOWN_OP for an operation the registry lacks and
 * NX_ERR_LOGIC_FORBIDDEN_PATH for a `var` path through `__proto__`, `constructor` or `prototype`;
 * `errors[0].path` is the JSON pointer of the offending node inside the rule.
 *
 * @example compileLogic({ '>': [{ var: 'age' }, 60] })({ data: { age: 70 } }) // true
 */
export function compileLogic(
  rule: unknown,
  registry: OperationRegistry = defaultOperationRegistry(),
): Evaluator {
  return compileNode(rule, registry, '');
}

const FOLD_ENV: LogicEnv = { data: null };

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function fail(code: string, pointer: string, zh: string, en: string, params: Record<string, unknown>): never {
  const message = { 'zh-CN': zh, en };
  throw new NxError(code, 400, message, [{ path: pointer, code, message, params }]);
}

function compileNode(rule: unknown, registry: OperationRegistry, pointer: string): Evaluator {
  if (Array.isArray(rule)) {
    const items = rule.map((r, i) => compileNode(r, registry, `${pointer}/${i}`));
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
  const args = values.map((v, i) => compileNode(v, registry, isArr ? `${opPointer}/${i}` : opPointer));
  const ev = def.compile(args, values);
  if (def.pure && args.every(isConstant)) {
    try {
      return constant(ev(FOLD_ENV));
    } catch {
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
