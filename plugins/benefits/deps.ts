import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';

/**
 * What this plugin uses of the plugins it depends on, declared here (never an import of their
 * files): the registers plugin's record lookup and the rules plugin's dated decisions.
 */

export interface HouseholdRecord {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly ownerOrgCode: string;
  readonly ownerOrgPath: string;
  readonly currentSubmission: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface RegistersLike {
  normaliseKey(registerId: string, raw: unknown): string | undefined;
  recordByKey(db: Kysely<Database>, registerId: string, raw: unknown): Promise<HouseholdRecord | undefined>;
}

export type DecideResult =
  | {
      readonly status: 'decided';
      readonly decision: { readonly asOf: string; readonly outputs: Readonly<Record<string, unknown>> };
      readonly stored?: { readonly id: string };
    }
  | { readonly status: 'not-known'; readonly factsDate?: string };

export interface RulesLike {
  decideAsOf(
    db: Kysely<Database>,
    req: {
      readonly rulesetId: string;
      readonly submissionId: string;
      readonly asOf: string;
      readonly store?: boolean;
      readonly createdBy?: string | null;
      readonly storeFor?: string;
    },
  ): Promise<DecideResult>;
  latestOutputs(
    db: Kysely<Database>,
    submissionIds: readonly string[],
    rulesetId: string,
    asOf?: string,
  ): Promise<Map<string, Readonly<Record<string, unknown>>>>;
}

export interface Deps {
  readonly registers: RegistersLike;
  readonly rules: RulesLike;
}

/** The register an application's household is looked up in. */
export const HOUSEHOLDS = 'households';
