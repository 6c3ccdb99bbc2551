import type { LogicBudget } from '../../engine/entry/runtime.ts';
import type { CompiledRuleset } from './compile-ruleset.ts';
import { countyOf } from './org-chain.ts';
import type { ParameterLookup, ParameterRecord } from './parameters.ts';

/**
 * What-if: the same households decided under the parameters in force and under proposed ones,
 * summed per county — how many families change category and what it does to the monthly cost.
 * Pure: the caller loads households and parameters (from files now, the database later).
 */

export interface WhatIfHousehold {
  readonly id: string;
  /** Org unit of the household (village, township or county code). */
  readonly orgCode: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly chain?: readonly string[];
}

export interface WhatIfOptions {
  readonly asOf: string;
  readonly current: ParameterLookup;
  readonly proposed: ParameterLookup;
  /** The category of a decision; by default `dibao`, the hardship type, or `none`. */
  readonly category?: (outputs: Readonly<Record<string, unknown>>) => string;
  /** Monthly cost of a decision in yuan; by default its `entitlement`. */
  readonly monthlyCost?: (outputs: Readonly<Record<string, unknown>>) => number;
  /** The group a household is summed in; by default its county (first 6 digits of the org code). */
  readonly groupOf?: (h: WhatIfHousehold) => string;
  /** The request's logic budget over every household (else one budget per decision). */
  readonly budget?: LogicBudget;
}

export interface HouseholdChange {
  readonly id: string;
  readonly orgCode: string;
  readonly county: string;
  readonly before: string;
  readonly after: string;
  readonly costBefore: number;
  readonly costAfter: number;
}

export interface Impact {
  readonly households: number;
  /** Households whose category differs under the proposal. */
  readonly changed: number;
  /** Counts per `before → after`, changed households only. */
  readonly transitions: Readonly<Record<string, number>>;
  readonly costBefore: number;
  readonly costAfter: number;
  readonly costChange: number;
}

export interface WhatIfReport {
  readonly asOf: string;
  readonly counties: readonly ({ readonly county: string } & Impact)[];
  readonly totals: Impact;
  readonly households: readonly HouseholdChange[];
}

export function defaultCategory(outputs: Readonly<Record<string, unknown>>): string {
  if (outputs.dibaoCandidate === true) return 'dibao';
  if (outputs.inRoster === true && typeof outputs.hardshipType === 'string') return outputs.hardshipType;
  return 'none';
}

const defaultCost = (outputs: Readonly<Record<string, unknown>>): number =>
  typeof outputs.entitlement === 'number' ? outputs.entitlement : 0;

/** Money is summed in whole fen so that totals equal the sum of the parts exactly. */
const fen = (yuan: number) => Math.round(yuan * 100);

interface Acc {
  households: number;
  changed: number;
  transitions: Record<string, number>;
  before: number;
  after: number;
}

const emptyAcc = (): Acc => ({ households: 0, changed: 0, transitions: {}, before: 0, after: 0 });

function addTo(acc: Acc, c: HouseholdChange): void {
  acc.households++;
  acc.before += fen(c.costBefore);
  acc.after += fen(c.costAfter);
  if (c.before !== c.after) {
    acc.changed++;
    const key = `${c.before} → ${c.after}`;
    acc.transitions[key] = (acc.transitions[key] ?? 0) + 1;
  }
}

const impactOf = (a: Acc): Impact => ({
  households: a.households,
  changed: a.changed,
  transitions: a.transitions,
  costBefore: a.before / 100,
  costAfter: a.after / 100,
  costChange: (a.after - a.before) / 100,
});

export function whatIf(
  compiled: CompiledRuleset,
  households: Iterable<WhatIfHousehold>,
  opts: WhatIfOptions,
): WhatIfReport {
  const category = opts.category ?? defaultCategory;
  const cost = opts.monthlyCost ?? defaultCost;
  const groupOf = opts.groupOf ?? ((h: WhatIfHousehold) => countyOf(h.orgCode));
  const byCounty = new Map<string, Acc>();
  const total = emptyAcc();
  const changes: HouseholdChange[] = [];
  for (const h of households) {
    const base = {
      asOf: opts.asOf,
      orgCode: h.orgCode,
      explain: false,
      ...(h.chain ? { chain: h.chain } : {}),
      ...(opts.budget ? { budget: opts.budget } : {}),
    };
    const now = compiled.evaluate(h.data, { ...base, parameters: opts.current }).outputs;
    const then = compiled.evaluate(h.data, { ...base, parameters: opts.proposed }).outputs;
    const change: HouseholdChange = {
      id: h.id,
      orgCode: h.orgCode,
      county: groupOf(h),
      before: category(now),
      after: category(then),
      costBefore: cost(now),
      costAfter: cost(then),
    };
    changes.push(change);
    const acc = byCounty.get(change.county) ?? emptyAcc();
    byCounty.set(change.county, acc);
    addTo(acc, change);
    addTo(total, change);
  }
  return {
    asOf: opts.asOf,
    counties: [...byCounty.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([county, acc]) => ({ county, ...impactOf(acc) })),
    totals: impactOf(total),
    households: changes,
  };
}

/**
 * Records with proposed values laid over them: a proposal replaces a record of the same series
 * and date, or adds a new dated value (e.g. a raise from a future date).
 */
export function proposeParameters(
  records: readonly ParameterRecord[],
  proposal: readonly ParameterRecord[],
): ParameterRecord[] {
  const key = (r: ParameterRecord) => `${r.name}|${r.orgCode}|${r.area}|${r.validFrom}`;
  const replaced = new Set(proposal.map(key));
  return [...records.filter((r) => !replaced.has(key(r))), ...proposal];
}
