import type { Kysely } from 'kysely';
import type { Database } from '../../engine/index.ts';
import { latestOutputs, type RulesService } from '../rules/index.ts';
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

/** Nearest unit first, as parameter lookup wants it. */
const chainOf = (path: string): string[] => path.split('/').filter(Boolean).reverse();
