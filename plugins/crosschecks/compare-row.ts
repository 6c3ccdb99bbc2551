import { compileLogic, type Evaluator, type OperationRegistry, truthy } from '../../engine/entry/runtime.ts';
import type { ComparisonDefinition, ComparisonRule } from './comparison-schema.ts';

/** What a comparison rule reads about one delivered row (see comparison-schema.ts). */
export interface RowFacts {
  matched: boolean;
  match: { role: string | null };
  list: Record<string, unknown>;
  register: Record<string, unknown>;
  benefits: { active: number | null };
}

export interface CompiledRule {
  readonly rule: ComparisonRule;
  readonly when: Evaluator;
}

/** Compiles each rule's condition once (within the logic budget of every evaluation). */
export function compileRules(def: ComparisonDefinition, operations?: OperationRegistry): CompiledRule[] {
  return def.rules.map((rule) => ({ rule, when: compileLogic(rule.when, operations) }));
}

/** A rule's verdict on one row. */
export const ruleHolds = (
  r: CompiledRule,
  facts: RowFacts,
  ctx: Readonly<Record<string, unknown>>,
): boolean => truthy(r.when({ data: facts, ctx }));

/** The values a finding shows (its explanation), by path: `{ "list.grade": "2", "register.grade": "3" }`. */
export function comparedValues(rule: ComparisonRule, facts: RowFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of rule.compare) {
    const [root, name = ''] = path.split('.');
    const from = (facts as unknown as Record<string, Record<string, unknown> | undefined>)[root ?? ''];
    out[path] = from?.[name] ?? null;
  }
  return out;
}

/**
 * The fingerprint of compared values: their JSON text, the same text a rule run in SQL builds
 * (`sql-rules.ts`); a closed finding opens again only when it changes.
 */
export const fingerprintOf = (compared: Record<string, unknown>): string => JSON.stringify(compared);
