import type { Kysely } from 'kysely';
import type { LogicBudget } from '../../engine/entry/runtime.ts';
import type { Database } from '../../engine/entry/server.ts';
import type { DecisionProvider } from './context.ts';
import type { ReportRules } from './rules-port.ts';

/**
 * Decisions for reports as of a date, from the rules plugin's service (stored decisions in
 * force on that date, else evaluated as of it). Without the service a report has no decisions.
 */
export function createDecisionProvider(args: {
  db: Kysely<Database>;
  rules?: ReportRules | undefined;
  /** false skips the stored decisions (always evaluate). */
  stored?: boolean;
  /** The request's logic budget, for the decisions evaluated rather than read. */
  budget?: LogicBudget | undefined;
}): DecisionProvider {
  return async (submissions, ruleset, asOf, opts) => {
    if (!args.rules) return new Map();
    return args.rules.decisionsAsOf({
      db: args.db,
      submissions,
      ruleset,
      asOf,
      ...(args.stored !== undefined ? { stored: args.stored } : {}),
      ...(opts?.storedOnly ? { storedOnly: true } : {}),
      ...(args.budget ? { budget: args.budget } : {}),
    });
  };
}
