import type { Kysely } from 'kysely';
import type { Database } from '../../engine/index.ts';
import type { RulesService } from '../rules/index.ts';
import type { DecisionProvider } from './context.ts';
import { hasTable } from './workflow-join.ts';

interface RuleDecisionRow {
  id: string;
  submission_id: string;
  ruleset_id: string;
  outputs: string;
  created_at: string;
}

/**
 * The stored decisions (`rule_decisions`, the latest row per submission and ruleset is the
 * current one) of a page of submissions; those without one are left out.
 */
export async function storedDecisions(
  db: Kysely<Database>,
  ids: readonly string[],
  ruleset: string,
): Promise<Map<string, Readonly<Record<string, unknown>>>> {
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  if (ids.length === 0) return out;
  const rows = await db
    .withTables<{ rule_decisions: RuleDecisionRow }>()
    .selectFrom('rule_decisions')
    .select(['id', 'submission_id', 'outputs', 'created_at'])
    .where('submission_id', 'in', [...ids])
    .where('ruleset_id', '=', ruleset)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  // Ascending order: a later row for the same submission replaces the earlier one.
  for (const r of rows) out.set(r.submission_id, JSON.parse(r.outputs) as Record<string, unknown>);
  return out;
}

/**
 * Decisions for reports: the stored ones where the `rule_decisions` table exists and has one;
 * otherwise (and for submissions never decided) the rules evaluated as of the period end.
 */
export function createDecisionProvider(args: {
  db: Kysely<Database>;
  rules?: RulesService | undefined;
  /** false skips the stored table (always evaluate). */
  stored?: boolean;
}): DecisionProvider {
  return async (subs, ruleset, asOf) => {
    const ids = subs.map((s) => s.id);
    const out =
      args.stored !== false && (await hasTable(args.db, 'rule_decisions'))
        ? await storedDecisions(args.db, ids, ruleset)
        : new Map<string, Readonly<Record<string, unknown>>>();
    if (!args.rules) return out;
    for (const s of subs) {
      if (out.has(s.id)) continue;
      const d = await args.rules.evaluate(ruleset, s.data, {
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
