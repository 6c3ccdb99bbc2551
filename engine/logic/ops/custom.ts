import { charge, ruleWeight } from '../budget.ts';
import { type DateUnit, dateDiff, todayInChina } from '../dates.ts';
import { roundDecimal, toFen, toNumber } from '../decimal.ts';
import { idcardAge, idcardBirthDateOf, idcardProblem, idcardSexOf } from '../idcard.ts';
import { truthy } from '../truthy.ts';
import type { Evaluator, LogicEnv, OperationDefinition } from '../types.ts';
import { readPath } from '../var-path.ts';
import { argAt, defineOp, itemScope } from './define.ts';

/**
 * Nuanxin's own operations for casework: ID-number derivations, money-safe sums over table
 * columns, row counts, decimal rounding and date differences. They are registered like any
 * plugin operation; nothing in the compiler knows them.
 */

/** `ctx.today`, or today in China when the caller gave none. */
export function envToday(env: LogicEnv): string {
  const t = env.ctx?.today;
  return typeof t === 'string' ? t : todayInChina();
}

const asId = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';

const idOp = (name: string, description: string, f: (id: string, env: LogicEnv) => unknown) =>
  defineOp(name, description, [1, 1], (args) => {
    const id = argAt(args, 0);
    return (env) => f(asId(id(env)), env);
  });

/**
 * A money-safe running sum: terms are numbers or numeric strings (empty cells and text count as
 * nothing); it stays in integer fen while every term has at most two decimals.
 */
class MoneySum {
  fen = 0;
  float = 0;
  exact = true;
  add(v: unknown): void {
    const n = toNumber(v);
    if (n === null) return;
    this.float += n;
    if (this.exact) {
      const f = toFen(n);
      if (f === null) this.exact = false;
      else this.fen += f;
    }
  }
  result(): number {
    return this.exact && Number.isSafeInteger(this.fen) ? this.fen / 100 : this.float;
  }
}

const sum = defineOp(
  'sum',
  'Money-safe sum of an array, or of a table column: {"sum":[{"var":"members"},"annualIncome"]}',
  [1, Number.POSITIVE_INFINITY],
  (args, raw) => {
    const column = raw.length === 2 && typeof raw[1] === 'string' ? raw[1].split('.') : null;
    const src = argAt(args, 0);
    if (column !== null) {
      return (env) => {
        const rows = src(env);
        const acc = new MoneySum();
        if (Array.isArray(rows)) {
          charge(rows.length);
          for (let i = 0; i < rows.length; i++) acc.add(readPath(rows[i], column, null));
        }
        return acc.result();
      };
    }
    return (env) => {
      const acc = new MoneySum();
      for (let i = 0; i < args.length; i++) {
        const v = (args[i] as Evaluator)(env);
        if (Array.isArray(v)) {
          charge(v.length);
          for (let j = 0; j < v.length; j++) acc.add(v[j]);
        } else acc.add(v);
      }
      return acc.result();
    };
  },
  { pure: true },
);

const count = defineOp(
  'count',
  'Number of rows, or of rows for which a rule holds: {"count":[{"var":"members"},{"==":[{"var":"relation"},"spouse"]}]}',
  [1, 2],
  (args, raw) => {
    const src = argAt(args, 0);
    const pred = args[1];
    const weight = ruleWeight(raw[1]);
    if (pred === undefined) {
      return (env) => {
        const rows = src(env);
        return Array.isArray(rows) ? rows.length : 0;
      };
    }
    const scope = itemScope();
    return (env) => {
      const rows = src(env);
      if (!Array.isArray(rows)) return 0;
      charge(rows.length * weight);
      let n = 0;
      for (let i = 0; i < rows.length; i++) if (truthy(pred(scope.at(env, rows[i])))) n++;
      return n;
    };
  },
  { pure: true, scopedArgs: [1] },
);

const round = defineOp(
  'round',
  'Rounds half away from zero to N decimals without float drift: {"round":[x, 2]}',
  [1, 2],
  (args) => {
    const x = argAt(args, 0);
    const d = argAt(args, 1);
    return (env) => {
      const n = toNumber(x(env));
      if (n === null) return null;
      const places = toNumber(d(env)) ?? 0;
      return roundDecimal(n, places);
    };
  },
  { pure: true },
);

const UNITS = new Set(['days', 'months', 'years']);

const dateDiffOp = defineOp(
  'date_diff',
  'Whole days, months or years from the first date to the second: {"date_diff":[from, to, "years"]}',
  [2, 3],
  (args) => {
    const from = argAt(args, 0);
    const to = argAt(args, 1);
    const unit = argAt(args, 2);
    return (env) => {
      const u = unit(env) ?? 'days';
      if (typeof u !== 'string' || !UNITS.has(u)) return null;
      return dateDiff(from(env), to(env), u as DateUnit);
    };
  },
  { pure: true },
);

export const customOperations: readonly OperationDefinition[] = [
  defineOp(
    'idcard_age',
    'Age in full years from an ID number, as of a date (e.g. the survey date; ctx.today when omitted or not yet filled in)',
    [1, 2],
    (args) => {
      const id = argAt(args, 0);
      const asOf = args[1];
      return (env) => {
        // A form computes the age as of its own date field; until that is filled in, as of today.
        const given = asOf ? asOf(env) : undefined;
        const at = given === undefined || given === null || given === '' ? envToday(env) : given;
        return typeof at === 'string' ? idcardAge(asId(id(env)), at) : null;
      };
    },
  ),
  idOp('idcard_sex', "Sex from an ID number: 'male' or 'female' (null if invalid)", (id, env) => {
    return idcardProblem(id, envToday(env)) === null ? idcardSexOf(id) : null;
  }),
  idOp('idcard_birthdate', 'Birth date YYYY-MM-DD from an ID number (null if invalid)', (id, env) => {
    return idcardProblem(id, envToday(env)) === null ? idcardBirthDateOf(id) : null;
  }),
  idOp('idcard_valid', 'True when an ID number has a valid format, birth date and check digit', (id, env) => {
    return idcardProblem(id, envToday(env)) === null;
  }),
  sum,
  count,
  round,
  dateDiffOp,
  defineOp('today', "Today's date, YYYY-MM-DD (ctx.today)", [0, 0], () => envToday),
];
