import { mobile, personName } from './names.ts';
import { deriveSeed, mulberry32 } from './prng.ts';
import { SICHUAN_CITIES } from './regions.ts';

/**
 * Seeded 附件1 visit-statistics submissions (forms/visit-statistics.json): one row per county of
 * the reporting city, every sub-category within its total, the inclusions adding up.
 */
export interface VisitRow {
  county: string;
  staffDispatched: number;
  visits: number;
  visitFunds: number;
  partyVisits: number;
  partyFunds: number;
  veteranVisits: number;
  veteranFunds: number;
  included: number;
  includedDibao: number;
  includedTekun: number;
  includedTemporary: number;
  includedOther: number;
  policyIssuesSolved: number;
  casesSolved: number;
}

export interface VisitStatisticsData {
  reportingUnit: string;
  periodDue: string;
  fillDate: string;
  filledBy: string;
  phone: string;
  rows: VisitRow[];
  [extra: string]: unknown;
}

export const VISIT_DUE_DATES = [
  '2021-06-03',
  '2021-06-20',
  '2021-09-03',
  '2021-12-03',
  '2022-01-04',
] as const;

export interface VisitStatisticsOptions {
  /** City code (6 digits) from the sample in regions.ts; chosen by the seed when absent. */
  city?: string;
  periodDue?: (typeof VISIT_DUE_DATES)[number];
}

export function makeVisitStatistics(seed: number, options: VisitStatisticsOptions = {}): VisitStatisticsData {
  const rng = mulberry32(seed);
  const city = options.city ? SICHUAN_CITIES.find((c) => c.code === options.city) : rng.pick(SICHUAN_CITIES);
  if (!city) throw new Error(`city ${options.city} is not in the sample`);
  const periodDue = options.periodDue ?? rng.pick(VISIT_DUE_DATES);
  // Filled a few days before the due date.
  const due = new Date(`${periodDue}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() - rng.int(1, 5));
  const rows = city.counties.map((county): VisitRow => {
    const visits = rng.int(50, 3000);
    const visitFunds = rng.money(visits * 50, visits * 400);
    const partyVisits = rng.int(0, Math.floor(visits / 5));
    const veteranVisits = rng.int(0, Math.floor(visits / 5));
    const included = rng.int(0, Math.floor(visits / 10));
    const includedDibao = rng.int(0, included);
    const includedTekun = rng.int(0, included - includedDibao);
    const includedTemporary = rng.int(0, included - includedDibao - includedTekun);
    return {
      county: county.code,
      staffDispatched: rng.int(10, Math.max(10, Math.floor(visits / 2))),
      visits,
      visitFunds,
      partyVisits,
      // Fen-based so that a share never exceeds the total through rounding.
      partyFunds: Math.round(visitFunds * 100 * (partyVisits / visits) * rng.next()) / 100,
      veteranVisits,
      veteranFunds: Math.round(visitFunds * 100 * (veteranVisits / visits) * rng.next()) / 100,
      included,
      includedDibao,
      includedTekun,
      includedTemporary,
      includedOther: included - includedDibao - includedTekun - includedTemporary,
      policyIssuesSolved: rng.int(0, 30),
      casesSolved: rng.int(0, 200),
    };
  });
  return {
    reportingUnit: city.code,
    periodDue,
    fillDate: due.toISOString().slice(0, 10),
    filledBy: personName(rng, rng.chance(0.5) ? 'male' : 'female'),
    phone: mobile(rng),
    rows,
  };
}

/** `n` statistics tables; the i-th equals `makeVisitStatistics(deriveSeed(seed, i))`. */
export function makeVisitStatisticsBatch(n: number, seed: number): VisitStatisticsData[] {
  return Array.from({ length: n }, (_, i) => makeVisitStatistics(deriveSeed(seed, i)));
}
