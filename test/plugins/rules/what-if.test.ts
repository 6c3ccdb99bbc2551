import { describe, expect, it } from 'vitest';
import { lookupOf, type ParameterRecord } from '../../../plugins/rules/parameters.ts';
import {
  defaultCategory,
  proposeParameters,
  type WhatIfHousehold,
  whatIf,
} from '../../../plugins/rules/what-if.ts';
import { makeHouseholds } from '../../factories/household.ts';
import { demoRecords, eligibility, household, PINGCHANG_VILLAGE, ZIGONG_COUNTY } from './fixtures.ts';

const compiled = eligibility();
const AS_OF = '2021-08-01';

/** The province raises both standards by 50 yuan from 2021-07-01. */
function raiseBy50(records: ParameterRecord[]): ParameterRecord[] {
  return proposeParameters(
    records,
    records
      .filter((r) => r.name === 'dibao_standard' && r.orgCode === '510000' && r.validFrom === '2021-07-01')
      .map((r) => ({ ...r, value: r.value + 50 })),
  );
}

describe('what-if', () => {
  it('counts changed families and the change in monthly cost per county', () => {
    const households: WhatIfHousehold[] = [
      // Zigong, urban 650 → 700: 680 moves from the roster to dibao; 500 stays dibao, 50 yuan more each person.
      { id: 'a', orgCode: ZIGONG_COUNTY, data: household({ perCapita: 680, size: 2 }) },
      { id: 'b', orgCode: `${ZIGONG_COUNTY}001`, data: household({ perCapita: 500, size: 3 }) },
      // Pingchang keeps its own rural 490: the province's raise (470 → 520) overrides nothing there.
      { id: 'c', orgCode: PINGCHANG_VILLAGE, data: household({ perCapita: 480, size: 4, area: 'rural' }) },
    ];
    const records = demoRecords();
    const report = whatIf(compiled, households, {
      asOf: AS_OF,
      current: lookupOf(records),
      proposed: lookupOf(raiseBy50(records)),
    });
    expect(report.counties).toEqual([
      {
        county: '510302',
        households: 2,
        changed: 1,
        transitions: { '低保边缘户 → dibao': 1 },
        costBefore: 450,
        costAfter: 40 + 600,
        costChange: 190,
      },
      {
        county: '511923',
        households: 1,
        changed: 0,
        transitions: {},
        costBefore: 40,
        costAfter: 40,
        costChange: 0,
      },
    ]);
    expect(report.totals).toMatchObject({
      households: 3,
      changed: 1,
      costBefore: 490,
      costAfter: 680,
      costChange: 190,
    });
  });

  it('totals equal the sum of individual decisions', () => {
    const households: WhatIfHousehold[] = makeHouseholds(400, 11).map((data, i) => ({
      id: String(i),
      orgCode: data.headIdNumber.slice(0, 6),
      data,
    }));
    const records = demoRecords();
    const current = lookupOf(records);
    const proposed = lookupOf(raiseBy50(records));
    const report = whatIf(compiled, households, { asOf: AS_OF, current, proposed });

    let changed = 0;
    let costFen = 0;
    let beforeFen = 0;
    for (const h of households) {
      const now = compiled.evaluate(h.data, { asOf: AS_OF, orgCode: h.orgCode, parameters: current }).outputs;
      const then = compiled.evaluate(h.data, {
        asOf: AS_OF,
        orgCode: h.orgCode,
        parameters: proposed,
      }).outputs;
      if (defaultCategory(now) !== defaultCategory(then)) changed++;
      beforeFen += Math.round((now.entitlement as number) * 100);
      costFen += Math.round(((then.entitlement as number) - (now.entitlement as number)) * 100);
    }
    expect(report.totals.households).toBe(400);
    expect(report.totals.changed).toBe(changed);
    expect(report.totals.costBefore).toBe(beforeFen / 100);
    expect(report.totals.costChange).toBe(costFen / 100);
    expect(changed).toBeGreaterThan(0);
    expect(report.totals.costChange).toBeGreaterThan(0);
    // …and the counties add up to the totals.
    const sum = (k: 'households' | 'changed') => report.counties.reduce((s, c) => s + c[k], 0);
    expect(sum('households')).toBe(400);
    expect(sum('changed')).toBe(changed);
    const fenSum = report.counties.reduce((s, c) => s + Math.round(c.costChange * 100), 0);
    expect(fenSum).toBe(costFen);
  });
});
