import { type RawBuilder, sql } from 'kysely';
import type { SqlJoin } from '../../../engine/entry/server.ts';

/**
 * The decision in force as SQL, for a list that reads many records with their decisions: joined
 * to each record's survey in the query that reads the page, instead of a look-up per page. A
 * test the list's filter makes on an output stored in a typed column (`in_roster` …) becomes a
 * condition of that query, so the records it would drop are not read at all. The condition only
 * ever leaves out rows the filter would drop too — a row whose column is null (no decision, the
 * output absent or of another type) is kept — so the filter, still judged on every row read,
 * decides alone.
 */

/** An output stored in a typed column of `rule_decisions` as well as in `outputs`. */
export interface TypedOutput {
  readonly column: 'in_roster' | 'dibao_candidate' | 'hardship_type' | 'entitlement_fen' | 'per_capita_fen';
  /** flag: 1/0 for true/false only; text: a string only; fen: a finite number × 100, rounded. */
  readonly kind: 'flag' | 'text' | 'fen';
}

/** The outputs with a typed column (null in it when the output is absent or of another type). */
export const TYPED_OUTPUTS: Readonly<Record<string, TypedOutput>> = Object.freeze({
  inRoster: { column: 'in_roster', kind: 'flag' },
  dibaoCandidate: { column: 'dibao_candidate', kind: 'flag' },
  hardshipType: { column: 'hardship_type', kind: 'text' },
  entitlement: { column: 'entitlement_fen', kind: 'fen' },
  perCapitaMonthlyIncome: { column: 'per_capita_fen', kind: 'fen' },
});

/** A test a filter makes on one output, which must hold for every row it keeps. */
export type OutputTest =
  | { readonly output: string; readonly test: 'truthy' | 'falsy' }
  | { readonly output: string; readonly test: 'equals'; readonly value: string | number | boolean | null };

/**
 * The condition in SQL of one test on the typed column `c` (undefined when it cannot be said
 * there exactly). A non-null column holds the output's value exactly for flags (a boolean) and
 * text (a string); a fen column is rounded, so its truthiness or equality is not the output's.
 */
function condition(
  t: OutputTest,
  typed: TypedOutput,
  c: RawBuilder<unknown>,
): RawBuilder<unknown> | undefined {
  if (typed.kind === 'flag') {
    if (t.test === 'truthy') return sql`(${c} is null or ${c} = 1)`;
    if (t.test === 'falsy') return sql`(${c} is null or ${c} = 0)`;
    if (t.test === 'equals' && typeof t.value === 'boolean')
      return sql`(${c} is null or ${c} = ${t.value ? 1 : 0})`;
    return undefined;
  }
  if (typed.kind === 'text') {
    if (t.test === 'truthy') return sql`(${c} is null or ${c} <> '')`;
    if (t.test === 'falsy') return sql`(${c} is null or ${c} = '')`;
    if (t.test === 'equals' && typeof t.value === 'string') return sql`(${c} is null or ${c} = ${t.value})`;
    return undefined;
  }
  return undefined;
}

/** What the join reads of each record, by alias. */
const ID = 'nx_decision_id';
const OUTPUTS = 'nx_decision_outputs';

/** The join on the decision in force for the survey its `sql` is given, its columns, and the pushed tests. */
export interface DecisionJoin extends SqlJoin {
  /** The tests said in SQL (the others are judged by the filter alone). */
  readonly pushed: readonly OutputTest[];
  /** The outputs of a record's joined columns; undefined when no decision was in force. */
  outputs(joined: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | undefined;
}

/**
 * The decision of `ruleset` in force on `asOf` for each record's survey: the row with the
 * greatest `as_of` on or before the date, the newest on a tie (created_at, then id) — as
 * `latestOutputs` reads it, here one index probe per record (`rule_decisions_submission_as_of`).
 */
export function decisionJoin(q: {
  readonly ruleset: string;
  readonly asOf: string;
  readonly tests?: readonly OutputTest[] | undefined;
}): DecisionJoin {
  const d = sql.ref('nx_d');
  const pushed: OutputTest[] = [];
  const conditions: RawBuilder<unknown>[] = [];
  for (const t of q.tests ?? []) {
    const typed = Object.hasOwn(TYPED_OUTPUTS, t.output) ? TYPED_OUTPUTS[t.output] : undefined;
    const c = typed && condition(t, typed, sql.ref(`nx_d.${typed.column}`));
    if (!c) continue;
    pushed.push(t);
    conditions.push(c);
  }
  return {
    columns: [ID, OUTPUTS],
    pushed,
    sql(submission) {
      return {
        join: sql`left join rule_decisions nx_d on nx_d.id = (
            select x.id from rule_decisions x
            where x.submission_id = ${submission} and x.ruleset_id = ${q.ruleset} and x.as_of <= ${q.asOf}
            order by x.as_of desc, x.created_at desc, x.id desc limit 1)`,
        select: sql`${d}.id as ${sql.ref(ID)}, ${d}.outputs as ${sql.ref(OUTPUTS)}`,
        where: conditions.length ? sql.join(conditions, sql` and `) : undefined,
      };
    },
    outputs(joined) {
      const text = joined[OUTPUTS];
      if (joined[ID] === null || joined[ID] === undefined || typeof text !== 'string') return undefined;
      return JSON.parse(text) as Record<string, unknown>;
    },
  };
}
