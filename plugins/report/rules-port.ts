import type { Kysely } from 'kysely';
import type { LogicBudget } from '../../engine/entry/runtime.ts';
import type { Database, SubmissionRecord } from '../../engine/entry/server.ts';

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
}
