import type { Kysely } from 'kysely';
import type { LogicBudget } from '../../engine/entry/runtime.ts';
import {
  type Database,
  hasTable,
  loadSubmissionData,
  type SubmissionRecord,
} from '../../engine/entry/server.ts';
import type { RulesService } from './service.ts';
import { chainOfPath } from './store/db-what-if.ts';
import { factsDateOf } from './store/decide-as-of.ts';
import { latestOutputs } from './store/decisions.ts';

/** A request for the decisions of many submissions as of a date (a report page, a batch). */
export interface DecisionsAsOfRequest {
  readonly db: Kysely<Database>;
  /** Submissions as the engine's bulk reads give them (their data may not be fetched yet). */
  readonly submissions: readonly SubmissionRecord[];
  readonly ruleset: string;
  /** YYYY-MM-DD. */
  readonly asOf: string;
  /** false skips the stored decisions (always evaluate). */
  readonly stored?: boolean;
  /** Only stored decisions, never evaluated (they were made on another form's submission). */
  readonly storedOnly?: boolean;
  /** The request's logic budget, spent over every decision made here. */
  readonly budget?: LogicBudget | undefined;
}

export type DecisionsAsOf = (
  req: DecisionsAsOfRequest,
) => Promise<Map<string, Readonly<Record<string, unknown>>>>;

/**
 * Decisions as of a date: the stored ones in force on it (`latestOutputs`: made as of that date or
 * before, so a decision on a later survey or under a later standard is not read) where the
 * `rule_decisions` table exists and has one; otherwise (and for submissions never decided) the
 * rules evaluated as of that date — except for a survey dated after it (the ruleset's `datedBy`
 * field), which has no decision then. Without `rulesFor`, stored decisions only.
 */
export function createDecisionsAsOf(
  rulesFor?: (db: Kysely<Database>) => RulesService | undefined | Promise<RulesService | undefined>,
): DecisionsAsOf {
  return async ({ db, submissions: subs, ruleset, asOf, stored, storedOnly, budget }) => {
    const ids = subs.map((s) => s.id);
    const out =
      stored !== false && (await hasTable(db, 'rule_decisions'))
        ? await latestOutputs(db, ids, ruleset, asOf)
        : new Map<string, Readonly<Record<string, unknown>>>();
    if (!rulesFor || storedOnly || out.size === subs.length) return out;
    const rules = await rulesFor(db);
    if (!rules) return out;
    const undecided = subs.filter((s) => !out.has(s.id));
    await loadSubmissionData(db, undecided);
    const compiled = rules.get(ruleset);
    for (const s of undecided) {
      const dated = compiled ? factsDateOf(compiled, s.data) : undefined;
      if (dated !== undefined && dated > asOf) continue;
      const d = await rules.evaluate(ruleset, s.data, {
        orgCode: s.orgCode,
        asOf,
        chain: chainOfPath(s.orgPath),
        budget,
      });
      out.set(s.id, d.outputs);
    }
    return out;
  };
}
