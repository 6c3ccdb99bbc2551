import type { Kysely } from 'kysely';
import type { Database } from '../../engine/index.ts';
import { type RulesService, rulesDb } from '../rules/index.ts';
import type { DecisionProvider } from './context.ts';
import { loadData } from './source.ts';
import { hasTable } from './workflow-join.ts';

/**
 * Decisions for reports: the stored ones (`latestDecisions` of the rules plugin) where the `rule_decisions` table exists and has one;
 * otherwise (and for submissions never decided) the rules evaluated as of the period end.
 */
export function createDecisionProvider(args: {
  db: Kysely<Database>;
  /** The rules for submissions without a stored decision (a function: chosen per database). */
  rules?: RulesService | (() => Promise<RulesService | undefined>) | undefined;
  /** false skips the stored table (always evaluate). */
  stored?: boolean;
}): DecisionProvider {
  return async (subs, ruleset, asOf) => {
    const ids = subs.map((s) => s.id);
    const out =
      args.stored !== false && (await hasTable(args.db, 'rule_decisions'))
        ? await latestOutputs(args.db, ids, ruleset)
        : new Map<string, Readonly<Record<string, unknown>>>();
    if (!args.rules || out.size === subs.length) return out;
    const rules = typeof args.rules === 'function' ? await args.rules() : args.rules;
    if (!rules) return out;
    const undecided = subs.filter((s) => !out.has(s.id));
    await loadData(args.db, undecided);
    for (const s of undecided) {
      if (out.has(s.id)) continue;
      const d = await rules.evaluate(ruleset, s.data, {
        orgCode: s.orgCode,
        asOf,
        chain: chainOf(s.orgPath),
      });
      out.set(s.id, d.outputs);
    }
    return out;
  };
}

/** Large `in (…)` lists are split so neither SQLite's nor PostgreSQL's parameter limit is reached. */
const CHUNK = 500;

/**
 * The outputs of the current decision of `ruleset` for each of `ids`: what `latestDecisions` of
 * the rules plugin gives (newest row by created_at, then id), reading only the outputs column,
 * not the explanation (parameters, facts, every rule's trace: the bulk of each row), and
 * parsing only the newest row of each submission.
 */
export async function latestOutputs(
  db: Kysely<Database>,
  ids: readonly string[],
  ruleset: string,
): Promise<Map<string, Readonly<Record<string, unknown>>>> {
  const latest = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await rulesDb(db)
      .selectFrom('rule_decisions')
      .select(['submission_id', 'outputs'])
      .where('ruleset_id', '=', ruleset)
      .where('submission_id', 'in', unique.slice(i, i + CHUNK))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    // Oldest first, so the last one written per submission stays.
    for (const r of rows) latest.set(r.submission_id, r.outputs);
  }
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [id, outputs] of latest) out.set(id, JSON.parse(outputs) as Record<string, unknown>);
  return out;
}

/** Nearest unit first, as parameter lookup wants it. */
const chainOf = (path: string): string[] => path.split('/').filter(Boolean).reverse();
