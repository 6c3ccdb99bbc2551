import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import {
  type Benefit,
  type BenefitAsOf,
  type BenefitChange,
  benefitChanges,
  byHousehold,
  getBenefit,
  type PayableBenefit,
  payableForMonth,
} from './read.ts';

/**
 * What the benefits plugin provides to the plugins that depend on it
 * (`api.services.use<BenefitsService>('benefits')`). Every function reads through the `db` it is
 * given — pass a transaction to read inside it. Scope is the caller's: pass the caller's org path.
 */
export interface BenefitsService {
  /** The benefits payable in `month` (YYYY-MM) under `orgPath`, each with the amount in force in that month. */
  payableForMonth(
    db: Kysely<Database>,
    q: { readonly orgPath: string; readonly month: string },
  ): Promise<PayableBenefit[]>;
  /** A household's benefits (by the register key), with status and amount as of a date (YYYY-MM-DD or YYYY-MM). */
  byHousehold(db: Kysely<Database>, householdKey: string, asOf?: string): Promise<BenefitAsOf[]>;
  get(db: Kysely<Database>, id: string): Promise<Benefit | undefined>;
  /** The changes of a benefit, oldest first. */
  changes(db: Kysely<Database>, id: string): Promise<BenefitChange[]>;
}

export const benefitsService: BenefitsService = Object.freeze({
  payableForMonth,
  byHousehold,
  get: getBenefit,
  changes: benefitChanges,
});
