import type { Kysely } from 'kysely';
import { createLogicBudget, type LogicBudget } from '../../../engine/entry/runtime.ts';
import { type Database, submissionPages } from '../../../engine/entry/server.ts';
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
  const out: WhatIfHousehold[] = [];
  for await (const page of submissionPages(db, { formId, orgPath }))
    for (const r of page)
      out.push({ id: r.id, orgCode: r.orgCode, data: r.data, chain: chainOfPath(r.orgPath) });
  return out;
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
  /** The request's logic budget over every household (default: a fresh LOGIC_MAX_REQUEST_STEPS). */
  readonly budget?: LogicBudget;
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
    budget: req.budget ?? createLogicBudget(),
  });
}

/**
 * What a change of one standard does before it is saved, for one ruleset that reads it: the
 * families of the subtree decided as of the change's date under the stored values and under the
 * stored values with the change laid over them.
 */
export interface ChangePreview {
  readonly ruleset: string;
  readonly asOf: string;
  readonly households: number;
  /** Families that come onto the 附件3 roster / leave it. */
  readonly rosterJoined: number;
  readonly rosterLeft: number;
  /** Families on the roster before and after whose hardship type differs. */
  readonly hardshipTypeChanged: number;
  /** Families whose monthly entitlement differs. */
  readonly entitlementChanged: number;
  readonly transitions: Readonly<Record<string, number>>;
  readonly costBefore: number;
  readonly costAfter: number;
  readonly costChange: number;
}

const onRoster = (category: string) => category !== 'dibao' && category !== 'none';

export function summarizeChange(ruleset: string, report: WhatIfReport): ChangePreview {
  let joined = 0;
  let left = 0;
  let typeChanged = 0;
  let entitlement = 0;
  for (const h of report.households) {
    const was = onRoster(h.before);
    const is = onRoster(h.after);
    if (!was && is) joined++;
    if (was && !is) left++;
    if (was && is && h.before !== h.after) typeChanged++;
    if (Math.round(h.costBefore * 100) !== Math.round(h.costAfter * 100)) entitlement++;
  }
  return {
    ruleset,
    asOf: report.asOf,
    households: report.totals.households,
    rosterJoined: joined,
    rosterLeft: left,
    hardshipTypeChanged: typeChanged,
    entitlementChanged: entitlement,
    transitions: report.totals.transitions,
    costBefore: report.totals.costBefore,
    costAfter: report.totals.costAfter,
    costChange: report.totals.costChange,
  };
}

/** The preview of storing `record` (a value of its series from its date) for the families under `orgPath`. */
export async function previewParameterChange(
  db: Kysely<Database>,
  compiled: CompiledRuleset,
  req: { readonly record: ParameterRecord; readonly orgPath: string },
): Promise<ChangePreview> {
  const formId = compiled.ruleset.form ?? 'household-survey';
  const households = await householdsInSubtree(db, formId, req.orgPath);
  const current = await loadParameterRecords(createDbParameterSource(db), compiled.parameterNames);
  const proposed = proposeParameters(current, [req.record]);
  const report = whatIf(compiled, households, {
    asOf: req.record.validFrom,
    current: lookupOf(current),
    proposed: lookupOf(proposed),
    budget: createLogicBudget(),
  });
  return summarizeChange(compiled.ruleset.id, report);
}
