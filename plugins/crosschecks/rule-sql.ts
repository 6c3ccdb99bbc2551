import { type RawBuilder, sql } from 'kysely';
import type { ComparisonRule } from './comparison-schema.ts';

/**
 * A rule's condition as a SQL pre-filter over the joined row: a predicate true on every row where
 * the JSON Logic condition may hold (a superset), so the run evaluates the rule in JavaScript only
 * on those rows and skips the others (most of a large list). The rule itself still decides: the
 * filter never changes a finding, it only saves work. What is translated: `var` of `matched`, of
 * typed list columns and register properties, of `match.role` and `benefits.active`; `!`, `!!`,
 * `and`, `or`; `==` / `!=` of such a value and a constant; `<`, `<=`, `>`, `>=` of a number and a
 * constant. Anything else counts as "may hold" (no filtering from that part).
 *
 * Every predicate built here is never NULL (SQL's three-valued logic would break `not`).
 */

export type ValueKind = 'boolean' | 'number' | 'text';

/** A value a rule reads, as a SQL expression with the kind of value the rule sees. */
export interface SqlValue {
  readonly expr: RawBuilder<unknown>;
  readonly kind: ValueKind;
}

/** Resolves a `var` path to its SQL value (`matched` is handled apart), or undefined. */
export type ValueOf = (path: string) => SqlValue | undefined;

type Pred = RawBuilder<unknown>;

const TRUE = sql`1 = 1`;

function varPath(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] !== 'var') return undefined;
  const arg = (node as { var: unknown }).var;
  const p = Array.isArray(arg) ? (arg.length === 1 ? arg[0] : undefined) : arg;
  return typeof p === 'string' && p !== '' ? p : undefined;
}

const argsOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** The truthiness of a value, exactly (JSON Logic: false, null, 0, '' are false). */
function truthyOf(v: SqlValue): Pred {
  if (v.kind === 'boolean') return sql`coalesce(${v.expr}, 0) = 1`;
  if (v.kind === 'number') return sql`coalesce(${v.expr}, 0) <> 0`;
  return sql`coalesce(${v.expr}, '') <> ''`;
}

/** `value == constant` with JavaScript's loose equality, exactly, where the kinds allow it. */
function equalsConst(v: SqlValue, c: unknown): Pred | undefined {
  if (c === null) return sql`${v.expr} is null`;
  if (typeof c === 'string' && v.kind === 'text') return sql`(${v.expr} is not null and ${v.expr} = ${c})`;
  if (typeof c === 'boolean' && v.kind === 'boolean')
    return c ? sql`coalesce(${v.expr}, 0) = 1` : sql`(${v.expr} is not null and ${v.expr} <> 1)`;
  if (typeof c === 'boolean' && v.kind === 'number')
    return sql`(${v.expr} is not null and ${v.expr} = ${c ? 1 : 0})`;
  if (typeof c === 'number' && Number.isFinite(c) && v.kind === 'number')
    return sql`(${v.expr} is not null and ${v.expr} = ${c})`;
  return undefined;
}

const RELATIONS: Readonly<Record<string, string>> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * Builds the translations of one comparison's conditions: `exact` (a predicate true exactly where
 * the condition is truthy, or undefined) and `maybe` (true wherever it may be, a superset).
 */
export function ruleTranslator(sqlValue: ValueOf, matched: Pred) {
  const value = (node: unknown): SqlValue | undefined => {
    const p = varPath(node);
    if (p === 'matched') return undefined;
    return p === undefined ? undefined : sqlValue(p);
  };

  /** An exact predicate for the truthiness of `node`, or undefined. */
  const exact = (node: unknown): Pred | undefined => {
    if (varPath(node) === 'matched') return matched;
    const v = value(node);
    if (v) return truthyOf(v);
    if (typeof node === 'boolean') return node ? TRUE : sql`1 = 0`;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    const [op, raw] = Object.entries(node)[0] ?? [];
    if (op === undefined || Object.keys(node).length !== 1) return undefined;
    const args = argsOf(raw);
    if (op === '!' || op === '!!') {
      const inner = args.length === 1 ? exact(args[0]) : undefined;
      return inner && (op === '!' ? sql`not (${inner})` : inner);
    }
    if (op === 'and' || op === 'or') {
      const parts = args.map(exact);
      if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
      return sql`(${sql.join(parts as Pred[], op === 'and' ? sql` and ` : sql` or `)})`;
    }
    if ((op === '==' || op === '!=') && args.length === 2) {
      const [a, b] = args;
      if (varPath(a) === 'matched' && typeof b === 'boolean')
        return b === (op === '==') ? matched : sql`not (${matched})`;
      const va = value(a);
      const vb = value(b);
      const eq = va && !vb ? equalsConst(va, b) : vb && !va ? equalsConst(vb, a) : undefined;
      return eq && (op === '==' ? eq : sql`not (${eq})`);
    }
    return undefined;
  };

  /** A predicate true wherever `node` may be truthy (a superset), or undefined for "always". */
  const maybe = (node: unknown): Pred | undefined => {
    const e = exact(node);
    if (e) return e;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    const [op, raw] = Object.entries(node)[0] ?? [];
    if (op === undefined || Object.keys(node).length !== 1) return undefined;
    const args = argsOf(raw);
    if (op === 'and') {
      const parts = args.map(maybe).filter((p): p is Pred => p !== undefined);
      return parts.length === 0 ? undefined : sql`(${sql.join(parts, sql` and `)})`;
    }
    if (op === 'or') {
      const parts = args.map(maybe);
      if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
      return sql`(${sql.join(parts as Pred[], sql` or `)})`;
    }
    const rel = RELATIONS[op];
    if (rel && args.length === 2) {
      const [a, b] = args;
      const va = value(a);
      const vb = value(b);
      // A missing value may compare as 0 or not at all: kept as "may hold".
      if (va?.kind === 'number' && typeof b === 'number' && Number.isFinite(b))
        return sql`(${va.expr} is null or ${va.expr} ${sql.raw(rel)} ${b})`;
      if (vb?.kind === 'number' && typeof a === 'number' && Number.isFinite(a))
        return sql`(${vb.expr} is null or ${vb.expr} ${sql.raw(FLIPPED[op] as string)} ${a})`;
    }
    return undefined;
  };

  return { exact, maybe };
}

/** The pre-filter of a rule: undefined when every row may produce it. */
export function ruleFilter(sqlValue: ValueOf, matched: Pred) {
  const { maybe } = ruleTranslator(sqlValue, matched);
  return (rule: ComparisonRule): Pred | undefined => maybe(rule.when);
}

/** A rule's condition as an exact SQL predicate (never NULL), or undefined where it does not translate. */
export function ruleExact(sqlValue: ValueOf, matched: Pred) {
  const { exact } = ruleTranslator(sqlValue, matched);
  return (rule: ComparisonRule): Pred | undefined => exact(rule.when);
}
