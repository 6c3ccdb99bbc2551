import { charge, checkSize } from '../budget.ts';
import { constantOf } from '../constant.ts';
import { truthy } from '../truthy.ts';
import type { Evaluator, LogicEnv, OperationDefinition } from '../types.ts';
import {
  isForbiddenSegment,
  isInheritable,
  readOwn,
  readPath,
  resolveVar,
  scopeRoot,
  splitPath,
} from '../var-path.ts';
import { argAt, defineOp } from './define.ts';
import { scopedOperations } from './scoped.ts';

/**
 * The standard JSON Logic operations with the exact semantics of json-logic-js 2.0.5 (loose
 * comparisons, parseFloat in `+`/`*`, PHP-like `substr` …), compiled to closures. Differences, on
 * purpose: `var` reads own properties only and refuses prototype segments; `log` does not print;
 * `in` on something that is neither a string nor an array is false instead of a possible throw.
 */

type Num = number;
const ANY = Number.POSITIVE_INFINITY;

function evalAll(args: readonly Evaluator[], env: LogicEnv): unknown[] {
  const out = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) out[i] = (args[i] as Evaluator)(env);
  return out;
}

const binary = (name: string, description: string, f: (a: unknown, b: unknown) => unknown) =>
  defineOp(
    name,
    description,
    [2, 2],
    (args) => {
      const a = argAt(args, 0);
      const b = argAt(args, 1);
      return (env) => f(a(env), b(env));
    },
    { pure: true },
  );

/** `<` and `<=` also take three arguments: "between". */
const between = (name: string, description: string, lt: (a: unknown, b: unknown) => boolean) =>
  defineOp(
    name,
    description,
    [2, 3],
    (args) => {
      const a = argAt(args, 0);
      const b = argAt(args, 1);
      const c = argAt(args, 2);
      return (env) => {
        const av = a(env);
        const bv = b(env);
        const cv = c(env);
        return cv === undefined ? lt(av, bv) : lt(av, bv) && lt(bv, cv);
      };
    },
    { pure: true },
  );

const varOp = defineOp(
  'var',
  'Reads a value: {"var":"field"}, {"var":"row.col"}, {"var":"ctx.today"}, with an optional default',
  [0, 2],
  (args, raw) => {
    const def = argAt(args, 1);
    // No default, or a constant one: the value for "not found" is known now.
    const fixed = args[1] === undefined ? { value: null } : constantOf(def);
    const path = raw[0];
    const dynamic = path !== null && typeof path === 'object';
    if (!dynamic) {
      if (path === undefined || path === '' || path === null) return (env) => env.data;
      const p = splitPath(String(path));
      const segs = p.segments;
      const scope = p.scope;
      if (fixed) {
        const nf = fixed.value === undefined ? null : fixed.value;
        if (segs.length === 1) {
          // The common case, specialised: one key of the data or of the row.
          const key = segs[0] as string;
          if (isForbiddenSegment(key)) return () => nf;
          const inh = isInheritable(key);
          if (scope === 'data') {
            return (env) => {
              const v = readOwn(env.data, key, inh);
              return v === undefined ? nf : v;
            };
          }
          if (scope === 'row') {
            return (env) => {
              const v = readOwn(env.row, key, inh);
              return v === undefined ? nf : v;
            };
          }
        }
        return (env) => readPath(scopeRoot(env, scope), segs, nf);
      }
      return (env) => {
        const dv = def(env);
        return readPath(scopeRoot(env, scope), segs, dv === undefined ? null : dv);
      };
    }
    const pathEv = argAt(args, 0);
    return (env) => {
      const dv = def(env);
      return resolveVar(env, pathEv(env), dv === undefined ? null : dv);
    };
  },
);

function missingOf(env: LogicEnv, keys: ArrayLike<unknown>): unknown[] {
  charge(keys.length);
  const out: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const v = resolveVar(env, key, null);
    if (v === null || v === '') out.push(key);
  }
  return out;
}

const missing = defineOp(
  'missing',
  'Lists the given keys whose values are empty',
  [0, ANY],
  (args) => (env) => {
    const vals = evalAll(args, env);
    return missingOf(env, Array.isArray(vals[0]) ? (vals[0] as unknown[]) : vals);
  },
);

const missingSome = defineOp(
  'missing_some',
  'Empty list when at least N of the keys have values, otherwise the missing keys',
  [2, 2],
  (args) => {
    const need = argAt(args, 0);
    const opts = argAt(args, 1);
    return (env) => {
      const n = need(env);
      const options = opts(env);
      const list: unknown[] = Array.isArray(options) ? options : [options];
      const miss = missingOf(env, Array.isArray(list[0]) ? (list[0] as unknown[]) : list);
      const len = (options as { length?: number }).length as number;
      return len - miss.length >= (n as Num) ? [] : miss;
    };
  },
);

function ifChain(args: readonly Evaluator[]): Evaluator {
  const n = args.length;
  return (env) => {
    let i = 0;
    for (; i < n - 1; i += 2) {
      if (truthy((args[i] as Evaluator)(env))) return (args[i + 1] as Evaluator)(env);
    }
    if (n === i + 1) return (args[i] as Evaluator)(env);
    return null;
  };
}

export const standardOperations: readonly OperationDefinition[] = [
  varOp,
  missing,
  missingSome,
  defineOp('if', 'if / else if / else chain', [0, ANY], ifChain, { pure: true }),
  defineOp('?:', 'Ternary, same as if', [0, ANY], ifChain, { pure: true }),
  // biome-ignore lint/suspicious/noDoubleEquals: JSON Logic's == is JavaScript's loose equality
  binary('==', 'Loose equality', (a, b) => a == b),
  binary('===', 'Strict equality', (a, b) => a === b),
  // biome-ignore lint/suspicious/noDoubleEquals: JSON Logic's != is JavaScript's loose inequality
  binary('!=', 'Loose inequality', (a, b) => a != b),
  binary('!==', 'Strict inequality', (a, b) => a !== b),
  binary('>', 'Greater than', (a, b) => (a as Num) > (b as Num)),
  binary('>=', 'Greater than or equal', (a, b) => (a as Num) >= (b as Num)),
  between('<', 'Less than; with three arguments, strictly between', (a, b) => (a as Num) < (b as Num)),
  between(
    '<=',
    'Less than or equal; with three arguments, between inclusive',
    (a, b) => (a as Num) <= (b as Num),
  ),
  defineOp(
    '!',
    'Not (JSON Logic truthiness)',
    [1, 1],
    (args) => {
      const a = argAt(args, 0);
      return (env) => !truthy(a(env));
    },
    { pure: true },
  ),
  defineOp(
    '!!',
    'Truthiness as a boolean',
    [1, 1],
    (args) => {
      const a = argAt(args, 0);
      return (env) => truthy(a(env));
    },
    { pure: true },
  ),
  defineOp(
    'or',
    'First truthy argument, or the last',
    [0, ANY],
    (args) => (env) => {
      let current: unknown;
      for (let i = 0; i < args.length; i++) {
        current = (args[i] as Evaluator)(env);
        if (truthy(current)) return current;
      }
      return current;
    },
    { pure: true },
  ),
  defineOp(
    'and',
    'First falsy argument, or the last',
    [0, ANY],
    (args) => (env) => {
      let current: unknown;
      for (let i = 0; i < args.length; i++) {
        current = (args[i] as Evaluator)(env);
        if (!truthy(current)) return current;
      }
      return current;
    },
    { pure: true },
  ),
  defineOp(
    'in',
    'Substring of a string, or member of an array',
    [2, 2],
    (args) => {
      const a = argAt(args, 0);
      const b = argAt(args, 1);
      return (env) => {
        const av = a(env);
        const bv = b(env);
        if (!bv) return false;
        if (typeof bv === 'string') {
          charge(bv.length);
          return bv.indexOf(av as string) !== -1;
        }
        if (Array.isArray(bv)) {
          charge(bv.length);
          return bv.indexOf(av) !== -1;
        }
        return false;
      };
    },
    { pure: true },
  ),
  defineOp(
    'cat',
    'Concatenates as strings',
    [0, ANY],
    (args) => (env) => {
      const s = evalAll(args, env).join('');
      checkSize(s.length, 'string');
      charge(s.length);
      return s;
    },
    { pure: true },
  ),
  defineOp(
    'substr',
    'Substring from start (negative counts from the end), optional length',
    [2, 3],
    (args) => {
      const s = argAt(args, 0);
      const st = argAt(args, 1);
      const en = argAt(args, 2);
      return (env) => {
        const source = s(env);
        const start = st(env) as Num;
        const end = en(env) as Num;
        if (end < 0) {
          const temp = String(source).substr(start);
          return temp.substr(0, temp.length + end);
        }
        return String(source).substr(start, end);
      };
    },
    { pure: true },
  ),
  defineOp(
    '+',
    'Sum (arguments parsed as numbers)',
    [0, ANY],
    (args) => (env) => {
      let acc: Num = 0;
      for (let i = 0; i < args.length; i++)
        acc = acc + Number.parseFloat((args[i] as Evaluator)(env) as string);
      return acc;
    },
    { pure: true },
  ),
  defineOp(
    '*',
    'Product (arguments parsed as numbers)',
    [1, ANY],
    (args) => (env) => {
      const vals = evalAll(args, env);
      if (vals.length === 0) throw new TypeError('Reduce of empty array with no initial value');
      let acc = vals[0];
      for (let i = 1; i < vals.length; i++)
        acc = Number.parseFloat(acc as string) * Number.parseFloat(vals[i] as string);
      return acc;
    },
    { pure: true },
  ),
  defineOp(
    '-',
    'Difference, or negation with one argument',
    [1, 2],
    (args) => {
      const a = argAt(args, 0);
      const b = argAt(args, 1);
      return (env) => {
        const av = a(env) as Num;
        const bv = b(env) as Num;
        return bv === undefined ? -av : av - bv;
      };
    },
    { pure: true },
  ),
  binary('/', 'Quotient', (a, b) => (a as Num) / (b as Num)),
  binary('%', 'Remainder', (a, b) => (a as Num) % (b as Num)),
  defineOp(
    'min',
    'Smallest argument',
    [0, ANY],
    (args) => (env) => Math.min(...(evalAll(args, env) as Num[])),
    { pure: true },
  ),
  defineOp(
    'max',
    'Largest argument',
    [0, ANY],
    (args) => (env) => Math.max(...(evalAll(args, env) as Num[])),
    { pure: true },
  ),
  defineOp(
    'merge',
    'Flattens arguments one level into one array',
    [0, ANY],
    (args) => (env) => {
      let out: unknown[] = [];
      for (let i = 0; i < args.length; i++) {
        out = out.concat((args[i] as Evaluator)(env));
        checkSize(out.length, 'array');
      }
      charge(out.length);
      return out;
    },
    { pure: true },
  ),
  ...scopedOperations,
  defineOp('log', 'Returns its argument (rules have no console)', [1, 1], (args) => argAt(args, 0), {
    pure: true,
  }),
];
