import { HOUSEHOLD_AS_OF, type HouseholdData, makeHousehold } from './household.ts';
import { deriveSeed } from './prng.ts';

/**
 * 附件3 roster submissions (forms/low-income-roster.json) built from generated households, so a
 * roster row agrees with a survey: same head, ID number, size and address.
 */
export interface RosterRow {
  name: string;
  sex: 'male' | 'female';
  idNumber: string;
  householdSize: number;
  registeredResidence: string;
  perCapitaIncome: number;
  povertyCause: string;
  areaType: 'urban' | 'rural';
  contact?: string;
  hardshipType: 'at_risk' | 'marginal' | 'expense';
}

export interface RosterData {
  reportingUnit: string;
  fillDate: string;
  families: RosterRow[];
  [extra: string]: unknown;
}

/** Monthly per-capita income of a household in yuan, computed in whole fen (half up). */
export function perCapitaMonthly(h: HouseholdData): number {
  const fen =
    Math.round(h.headAnnualIncome * 100) +
    Math.round(h.pension * 100) +
    h.members.reduce((s, m) => s + Math.round(m.annualIncome * 100), 0);
  return Math.floor((2 * fen + 12 * h.householdSize) / (24 * h.householdSize)) / 100;
}

export function rosterRowOf(h: HouseholdData): RosterRow {
  const row: RosterRow = {
    name: h.headName,
    sex: h.headSex,
    idNumber: h.headIdNumber,
    householdSize: h.householdSize,
    registeredResidence: h.registeredAddress,
    perCapitaIncome: perCapitaMonthly(h),
    povertyCause: h.povertyCauses[0] ?? 'other',
    areaType: h.areaType,
    // Registry families are 易致贫返贫户; of the others, heavy rigid spending makes 支出型.
    hardshipType: h.inPovertyRegistry
      ? 'at_risk'
      : h.medicalExpenses12m + h.educationExpenses12m > 20000
        ? 'expense'
        : 'marginal',
  };
  if (h.phone !== undefined) row.contact = h.phone;
  return row;
}

/** A roster of `n` families reported by the county of the first one. */
export function makeRoster(seed: number, n = 10): RosterData {
  const families = Array.from({ length: n }, (_, i) => rosterRowOf(makeHousehold(deriveSeed(seed, i))));
  return {
    reportingUnit: families[0]?.idNumber.slice(0, 6) ?? '510100',
    fillDate: HOUSEHOLD_AS_OF,
    families,
  };
}
