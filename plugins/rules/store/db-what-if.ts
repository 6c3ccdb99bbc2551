import type { Kysely } from 'kysely';
import type { Database } from '../../../engine/index.ts';
import type { CompiledRuleset } from '../compile-ruleset.ts';
import { type AreaType, loadParameterRecords, lookupOf, type ParameterRecord } from '../parameters.ts';
import { proposeParameters, type WhatIfHousehold, type WhatIfReport, whatIf } from '../what-if.ts';
import { createDbParameterSource } from './db-parameters.ts';

/** The org unit and its ancestors, nearest first, from a materialised path `/510000/511900/511923/`. */
export const chainOfPath = (path: string): string[] => path.split('/').filter(Boolean).reverse();

/** Submissions of `formId` in the subtree at `orgPath` (drafts and deleted ones left out), for what-if runs. */
export async function householdsInSubtree(
  db: Kysely<Database>,
  formId: string,
  orgPath: string,
): Promise<WhatIfHousehold[]> {
  const rows = await db
    .selectFrom('submissions')
    .select(['id', 'org_code', 'org_path', 'data'])
    .where('form_id', '=', formId)
    .where('deleted_at', 'is', null)
    .where('status', '!=', 'draft')
    .where('org_path', 'like', `${orgPath}%`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orgCode: r.org_code,
    data: JSON.parse(r.data) as Record<string, unknown>,
    chain: chainOfPath(r.org_path),
  }));
}

/** One proposed value: a standard for the subtree's root unit, in force from the what-if date. */
export interface ProposedValue {
  readonly name: string;
  readonly value: number;
  /** urban or rural; both when omitted. */
  readonly area?: AreaType | null;
}

/**
 * The proposal as dated records at `orgCode` from `asOf`. A value for both areas is written as
 * one urban and one rural record, so it also replaces an area-specific value of that unit; units
 * below that set their own standard keep it (that is how inheritance works).
 */
export function proposalRecords(
  proposed: readonly ProposedValue[],
  orgCode: string,
  asOf: string,
): ParameterRecord[] {
  return proposed.flatMap((p) =>
    (p.area ? [p.area] : (['urban', 'rural'] as const)).map((area) => ({
      name: p.name,
      orgCode,
      area,
      validFrom: asOf,
      value: p.value,
    })),
  );
}

export interface DbWhatIfRequest {
  /** The subtree's root unit and its materialised path. */
  readonly orgCode: string;
  readonly orgPath: string;
  readonly asOf: string;
  readonly proposed: readonly ProposedValue[];
}

/** What-if over the households stored in a subtree, with the parameters stored now versus the proposal. */
export async function whatIfFromDb(
  db: Kysely<Database>,
  compiled: CompiledRuleset,
  req: DbWhatIfRequest,
): Promise<WhatIfReport> {
  const formId = compiled.ruleset.form ?? 'household-survey';
  const households = await householdsInSubtree(db, formId, req.orgPath);
  const current = await loadParameterRecords(createDbParameterSource(db), compiled.parameterNames);
  const proposed = proposeParameters(current, proposalRecords(req.proposed, req.orgCode, req.asOf));
  return whatIf(compiled, households, {
    asOf: req.asOf,
    current: lookupOf(current),
    proposed: lookupOf(proposed),
  });
}
