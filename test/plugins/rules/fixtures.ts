import { compileRuleset } from '../../../plugins/rules/compile-ruleset.ts';
import { loadRulesetFile } from '../../../plugins/rules/load-ruleset.ts';
import { lookupOf, type ParameterRecord } from '../../../plugins/rules/parameters.ts';
import { DEMO_PARAMETERS_FILE, loadParameterFile } from '../../../plugins/rules/params-file.ts';

export const ELIGIBILITY_FILE = new URL(
  '../../../plugins/rules/rulesets/household-eligibility.json',
  import.meta.url,
).pathname;

/** 自贡市自流井区: no city or county override, so the province's standards apply (urban 610 → 650 on 2021-07-01). */
export const ZIGONG_COUNTY = '510302';
/** A village of 平昌县, whose county raises the rural standard to 490 from 2021-07-01. */
export const PINGCHANG_VILLAGE = '511923101201';
export const CHENGDU_DISTRICT = '510104';

export function eligibility() {
  const r = loadRulesetFile(ELIGIBILITY_FILE);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return compileRuleset(r.value);
}

export function demoRecords(): ParameterRecord[] {
  const r = loadParameterFile(DEMO_PARAMETERS_FILE);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

export const demoLookup = () => lookupOf(demoRecords());

export interface HouseholdSpec {
  /** Target per-capita monthly income, yuan (at most 2 decimals). */
  perCapita: number;
  size?: number;
  area?: 'urban' | 'rural';
  assistance?: string[];
  inPovertyRegistry?: boolean;
  medical?: number;
  education?: number;
}

/**
 * Household-survey data with a given per-capita monthly income: the yearly total is split between
 * the head, a pension and one member, so that every income field counts.
 */
export function household(spec: HouseholdSpec): Record<string, unknown> {
  const size = spec.size ?? 3;
  const totalFen = Math.round(spec.perCapita * 100) * 12 * size;
  const pensionFen = Math.min(totalFen, 120000);
  const memberFen = Math.min(totalFen - pensionFen, 240000);
  const headFen = totalFen - pensionFen - memberFen;
  return {
    headName: '张三',
    householdSize: size,
    headAnnualIncome: headFen / 100,
    pension: pensionFen / 100,
    members: [
      { name: '李四', relation: 'spouse', annualIncome: memberFen / 100 },
      ...Array.from({ length: size - 2 }, () => ({ name: '张小', relation: 'child', annualIncome: 0 })),
    ],
    assistanceReceived: spec.assistance ?? [],
    areaType: spec.area ?? 'urban',
    inPovertyRegistry: spec.inPovertyRegistry ?? false,
    medicalExpenses12m: spec.medical ?? 0,
    educationExpenses12m: spec.education ?? 0,
  };
}
