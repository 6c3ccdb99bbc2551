import type { Kysely } from 'kysely';
import type { Database } from '../../engine/index.ts';
import { factsDateOf, latestOutputs, type RulesService } from '../rules/index.ts';
import type { DecisionProvider } from './context.ts';
import { loadData } from './source.ts';
import { hasTable } from './workflow-join.ts';

/**
 * Decisions for reports as of a date: the stored ones in force on it (`latestOutputs` of the rules
 * plugin: made as of that date or before, so a decision on a later survey or under a later
 * standard is not read) where the `rule_decisions` table exists and has one; otherwise (and for
 * submissions never decided) the rules evaluated as of that date — except for a survey dated
 * after it (the ruleset's `datedBy` field), which has no decision then.
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
        ? await latestOutputs(args.db, ids, ruleset, asOf)
        : new Map<string, Readonly<Record<string, unknown>>>();
    if (!args.rules || out.size === subs.length) return out;
    const rules = typeof args.rules === 'function' ? await args.rules() : args.rules;
    if (!rules) return out;
    const undecided = subs.filter((s) => !out.has(s.id));
    await loadData(args.db, undecided);
    const compiled = rules.get(ruleset);
    for (const s of undecided) {
      if (out.has(s.id)) continue;
      const dated = compiled ? factsDateOf(compiled, s.data) : undefined;
      if (dated !== undefined && dated > asOf) continue;
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
