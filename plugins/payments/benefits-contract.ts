import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';

/**
 * What the payments plugin uses of the `benefits` plugin's service (`api.services.use('benefits')`):
 * its own statement of the contract, never an import of that plugin's files.
 */
export interface PayableBenefit {
  readonly benefitId: string;
  /** The head's ID number, normalised: the household register key. */
  readonly householdKey: string;
  readonly headName: string;
  /** dibao | tekun | linshi */
  readonly type: string;
  /** monthly | once */
  readonly period: string;
  readonly amountCents: number;
  readonly orgCode: string;
  readonly orgPath: string;
}

export interface BenefitsService {
  /** The benefits to pay for `month` (YYYY-MM) in the subtree `orgPath`, with the amount for that month. */
  payableForMonth(
    db: Kysely<Database>,
    args: { readonly orgPath: string; readonly month: string },
  ): Promise<readonly PayableBenefit[]>;
}

/** The part of the `sms-outbox` plugin's service used to queue a payment notice. */
export interface OutboxService {
  addToOutbox(
    db: Kysely<Database>,
    message: {
      readonly to: string;
      readonly body: string;
      readonly truncated: boolean;
      readonly orgCode?: string;
      readonly orgPath?: string;
      readonly createdAt: string;
    },
  ): Promise<string>;
  readonly signature: string;
  readonly hotline: string;
}
