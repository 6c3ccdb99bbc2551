import type { Kysely } from 'kysely';
import type { LogicBudget } from '../../engine/entry/runtime.ts';
import type { Database, SqlJoin, SubmissionRecord } from '../../engine/entry/server.ts';

/**
 * What the report plugin uses of the rules plugin's service (`api.services.use('rules')`): its
 * own statement of the need, not an import of the other plugin's files.
 */
export interface ReportRules {
  /**
   * The decision outputs in force on `asOf` per submission id, for `ruleset`: stored ones where
   * there are, else evaluated as of that date (none for a survey dated after it).
   */
  decisionsAsOf(req: {
    readonly db: Kysely<Database>;
    readonly submissions: readonly SubmissionRecord[];
    readonly ruleset: string;
    readonly asOf: string;
    readonly stored?: boolean;
    /** Only stored decisions, never evaluated (they were made on another form's submission). */
    readonly storedOnly?: boolean;
    /** The request's logic budget: decisions evaluated here spend it. */
    readonly budget?: LogicBudget | undefined;
  }): Promise<Map<string, Readonly<Record<string, unknown>>>>;
  /**
   * The decision in force on `asOf` as SQL joined to each record of a register page by its survey
   * (one query per page, not a look-up per page), with the tests on outputs that have a typed
   * column said in that query. Optional: without it, decisions are read per page.
   */
  decisionJoin?(q: {
    readonly ruleset: string;
    readonly asOf: string;
    readonly tests?: readonly ReportOutputTest[] | undefined;
  }): ReportDecisionJoin;
}

/** A test a list's filter makes on one decision output, which holds for every row the filter keeps. */
export type ReportOutputTest =
  | { readonly output: string; readonly test: 'truthy' | 'falsy' }
  | { readonly output: string; readonly test: 'equals'; readonly value: string | number | boolean | null };

/** The decision in force as a join (see `ReportRegisters.recordsAsOf`'s `join`). */
export interface ReportDecisionJoin extends SqlJoin {
  /** The tests said in SQL (only ever rows the filter would drop are left out there). */
  readonly pushed: readonly ReportOutputTest[];
  /** The outputs of a record's joined columns; undefined when no decision was in force. */
  outputs(joined: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | undefined;
}
