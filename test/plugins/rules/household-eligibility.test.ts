import { describe, expect, it } from 'vitest';
import { lookupOf } from '../../../plugins/rules/parameters.ts';
import { proposeParameters } from '../../../plugins/rules/what-if.ts';
import { makeHouseholds } from '../../factories/household.ts';
import { perCapitaMonthly } from '../../factories/roster.ts';
import {
  CHENGDU_DISTRICT,
  demoLookup,
  demoRecords,
  eligibility,
  type HouseholdSpec,
  household,
  PINGCHANG_VILLAGE,
  ZIGONG_COUNTY,
} from './fixtures.ts';

const compiled = eligibility();
const AFTER_RAISE = '2021-08-01'; // urban standard 650, so 1.5× is 975 and 2× is 1300

function decide(spec: HouseholdSpec, orgCode = ZIGONG_COUNTY, asOf = AFTER_RAISE, parameters = demoLookup()) {
  return compiled.evaluate(household(spec), { asOf, orgCode, parameters });
}
const rule = (d: ReturnType<typeof decide>, id: string) => d.explanation.find((e) => e.id === id)!;

describe('household-eligibility', () => {
  it('computes per-capita monthly income from all yearly income, in whole fen', () => {
    const d = decide({ perCapita: 523.33 });
    expect(d.outputs.perCapitaMonthlyIncome).toBe(523.33);
    expect(d.facts.totalAnnualIncome).toBe(523.33 * 36);
  });

  it('agrees with the survey form’s own per-capita figure on generated households', () => {
    for (const h of makeHouseholds(300, 7)) {
      const d = compiled.evaluate(h, { asOf: AFTER_RAISE, orgCode: ZIGONG_COUNTY, parameters: demoLookup() });
      expect(d.outputs.perCapitaMonthlyIncome).toBe(perCapitaMonthly(h));
    }
  });

  it('income below the standard: dibao candidate with the difference as entitlement', () => {
    const d = decide({ perCapita: 500 });
    expect(d.outputs).toEqual({
      perCapitaMonthlyIncome: 500,
      assetsPass: true,
      dibaoCandidate: true,
      inRoster: false,
      hardshipType: null,
      entitlement: (650 - 500) * 3,
    });
  });

  it('income exactly at the standard: dibao candidate, not on the roster', () => {
    const d = decide({ perCapita: 650 });
    expect(d.outputs).toMatchObject({
      dibaoCandidate: true,
      inRoster: false,
      hardshipType: null,
      entitlement: 0,
    });
  });

  it('just above the standard: on the roster as 低保边缘户', () => {
    const d = decide({ perCapita: 650.01 });
    expect(d.outputs).toMatchObject({
      dibaoCandidate: false,
      inRoster: true,
      hardshipType: '低保边缘户',
      entitlement: 0,
    });
  });

  it('just below 1.5× the standard: still on the roster', () => {
    expect(decide({ perCapita: 974.99 }).outputs).toMatchObject({
      inRoster: true,
      hardshipType: '低保边缘户',
    });
  });

  it('exactly 1.5× the standard: not on the roster', () => {
    const d = decide({ perCapita: 975 });
    expect(d.outputs).toMatchObject({ dibaoCandidate: false, inRoster: false, hardshipType: null });
    expect(rule(d, 'marginalIncome').passed).toBe(false);
  });

  it('marginal and in 建档立卡: 易致贫返贫户', () => {
    expect(decide({ perCapita: 800, inPovertyRegistry: true }).outputs).toMatchObject({
      inRoster: true,
      hardshipType: '易致贫返贫户',
    });
  });

  it.each([['dibao'], ['tekun']])('already receiving %s: neither candidate nor on the roster', (kind) => {
    for (const perCapita of [500, 800]) {
      const d = decide({ perCapita, assistance: ['temporary', kind] });
      expect(d.outputs).toMatchObject({
        dibaoCandidate: false,
        inRoster: false,
        hardshipType: null,
        entitlement: 0,
      });
      expect(rule(d, 'alreadyAssisted').passed).toBe(true);
    }
  });

  it('other assistance (temporary, medical) does not exclude a family', () => {
    expect(decide({ perCapita: 800, assistance: ['temporary', 'medical'] }).outputs.inRoster).toBe(true);
  });

  it('附件3说明1: above 1.5× the standard a family is not on the roster, even with rigid spending (the provincial option is off)', () => {
    // income 1100 × 36 = 39,600 a year; spending 40,000 leaves less than nothing.
    const d = decide({ perCapita: 1100, medical: 30000, education: 10000 });
    expect(d.outputs).toMatchObject({ inRoster: false, hardshipType: null, dibaoCandidate: false });
    expect(rule(d, 'rigidSpendingCause').passed).toBe(true);
    expect(rule(d, 'expenseAboveBandListed').passed).toBe(false);
    expect(rule(d, 'expenseAboveBandListed').reason.en).toContain('counts only families below 1.5×');
  });

  it('a province that turns the option on lists expense hardship between 1.5× and its ceiling as 支出型困难户', () => {
    const on = lookupOf(
      proposeParameters(demoRecords(), [
        { name: 'expense_above_band', orgCode: '510000', area: null, validFrom: '2020-01-01', value: 1 },
      ]),
    );
    const at = (spec: HouseholdSpec) => decide(spec, ZIGONG_COUNTY, AFTER_RAISE, on).outputs;
    expect(at({ perCapita: 1100, medical: 40000 })).toMatchObject({
      inRoster: true,
      hardshipType: '支出型困难户',
    });
    expect(at({ perCapita: 1299.99, medical: 90000 }).hardshipType).toBe('支出型困难户');
    // Not at or above the ceiling (2× = 1300), and not when spending is not above income.
    expect(at({ perCapita: 1300, medical: 90000 }).inRoster).toBe(false);
    expect(at({ perCapita: 1100, medical: 39600 }).inRoster).toBe(false);
  });

  it('附件3说明3: inside the band, a family whose rigid spending is the cause is 支出型困难户', () => {
    // 800 × 36 = 28,800 a year; spending 30,000 is above it and leaves less than the standard.
    const d = decide({ perCapita: 800, medical: 30000 });
    expect(d.outputs).toMatchObject({ inRoster: true, hardshipType: '支出型困难户' });
    // Spending below the threshold: the band alone makes a 低保边缘户.
    expect(decide({ perCapita: 800, medical: 20000 }).outputs.hardshipType).toBe('低保边缘户');
    // 建档立卡 labels the family first.
    expect(decide({ perCapita: 800, medical: 30000, inPovertyRegistry: true }).outputs.hardshipType).toBe(
      '易致贫返贫户',
    );
  });

  it('the expense test follows its parameters: a province may count spending above half the income', () => {
    const spec = { perCapita: 800, medical: 15000 }; // 15,000 > 28,800 × 0.5; after it 383.33 < 650
    expect(decide(spec).outputs.hardshipType).toBe('低保边缘户');
    const half = proposeParameters(demoRecords(), [
      { name: 'expense_income_ratio', orgCode: '510000', area: null, validFrom: '2020-01-01', value: 0.5 },
    ]);
    const d = decide(spec, ZIGONG_COUNTY, AFTER_RAISE, lookupOf(half));
    expect(d.outputs.hardshipType).toBe('支出型困难户');
    expect(d.facts.perCapitaAfterExpenses).toBe(383.33);
  });

  it('附件3说明2: a family with ¥800,000 of deposits is not 低保边缘户, and the explanation says why', () => {
    const d = compiled.evaluate(
      { ...household({ perCapita: 800 }), cashDeposits: 800000 },
      { asOf: AFTER_RAISE, orgCode: ZIGONG_COUNTY, parameters: demoLookup() },
    );
    expect(d.outputs).toMatchObject({ assetsPass: false, inRoster: false, hardshipType: null });
    const deposits = rule(d, 'depositsWithinLimit');
    expect(deposits.passed).toBe(false);
    // 800,000 / 3 persons = 266,666.67 per person > 650 × 24 months = 15,600.
    expect(deposits.reason['zh-CN']).toBe(
      '人均现金存款 266666.67 元 > 上限 15600 元（低保标准 650 元 × 24 个月）',
    );
    // At the limit exactly, the family passes (the limit is inclusive).
    const atLimit = compiled.evaluate(
      { ...household({ perCapita: 800 }), cashDeposits: 15600 * 3 },
      { asOf: AFTER_RAISE, orgCode: ZIGONG_COUNTY, parameters: demoLookup() },
    );
    expect(atLimit.outputs).toMatchObject({ assetsPass: true, hardshipType: '低保边缘户' });
    // Nor is a family with deposits a dibao candidate.
    const poor = compiled.evaluate(
      { ...household({ perCapita: 500 }), cashDeposits: 800000 },
      { asOf: AFTER_RAISE, orgCode: ZIGONG_COUNTY, parameters: demoLookup() },
    );
    expect(poor.outputs).toMatchObject({ dibaoCandidate: false, entitlement: 0 });
  });

  it('附件3说明2: a vehicle not used for work, or a second house, fails the asset test; work vehicles and rented homes do not', () => {
    const at = (extra: Record<string, unknown>) =>
      compiled.evaluate(
        { ...household({ perCapita: 800 }), ...extra },
        { asOf: AFTER_RAISE, orgCode: ZIGONG_COUNTY, parameters: demoLookup() },
      );
    const car = at({ vehicles: [{ model: '小型轿车', use: '代步' }] });
    expect(car.outputs.inRoster).toBe(false);
    expect(rule(car, 'vehiclesWithinLimit').reason.en).toBe('1 vehicles not used for work > 0');
    expect(
      at({
        vehicles: [
          { model: '农用车', use: '农用' },
          { model: '货车', use: '运输' },
        ],
      }).outputs.inRoster,
    ).toBe(true);
    const house = { floorArea: 80, nature: 'self_built', address: '某村' };
    expect(at({ housing: [house, { ...house, nature: 'commercial' }] }).outputs.inRoster).toBe(false);
    expect(at({ housing: [house, { ...house, nature: 'rented' }] }).outputs.inRoster).toBe(true);
  });

  it('money is compared in fen: 650.0039 yuan a month (23,400.14 a year for 3) rounds to 650.00, the standard itself', () => {
    const exact = compiled.evaluate(
      {
        ...household({ perCapita: 650 }),
        headAnnualIncome: 23400.14,
        pension: 0,
        members: [],
        householdSize: 3,
      },
      { asOf: AFTER_RAISE, orgCode: ZIGONG_COUNTY, parameters: demoLookup() },
    );
    expect(exact.facts.perCapitaMonthlyIncomeFen).toBe(65000);
    expect(exact.outputs).toMatchObject({
      perCapitaMonthlyIncome: 650,
      dibaoCandidate: true,
      inRoster: false,
    });
    // Half a fen rounds up: 23,400.18 / 36 = 650.005 → 650.01, above the standard.
    const half = compiled.evaluate(
      {
        ...household({ perCapita: 650 }),
        headAnnualIncome: 23400.18,
        pension: 0,
        members: [],
        householdSize: 3,
      },
      { asOf: AFTER_RAISE, orgCode: ZIGONG_COUNTY, parameters: demoLookup() },
    );
    expect(half.outputs).toMatchObject({ perCapitaMonthlyIncome: 650.01, inRoster: true });
  });

  it('uses the rural standard and the county override for rural families', () => {
    const d = decide({ perCapita: 480, area: 'rural' }, PINGCHANG_VILLAGE);
    expect(d.parameters.standard).toMatchObject({ value: 490, orgCode: '511923', area: 'rural' });
    expect(d.outputs).toMatchObject({ dibaoCandidate: true, entitlement: 30 });
    // The same family in a county without an override: province rural 470.
    expect(decide({ perCapita: 480, area: 'rural' }).outputs).toMatchObject({
      inRoster: true,
      hardshipType: '低保边缘户',
    });
  });

  it('Chengdu’s one standard applies to urban and rural families alike', () => {
    for (const area of ['urban', 'rural'] as const) {
      const d = decide({ perCapita: 950, area }, CHENGDU_DISTRICT);
      expect(d.parameters.standard).toMatchObject({ value: 960, orgCode: '510100', area: null });
      expect(d.outputs.dibaoCandidate).toBe(true);
    }
  });

  it('a standard raised mid-year changes decisions from that day only', () => {
    const before = decide({ perCapita: 630 }, ZIGONG_COUNTY, '2021-06-30');
    const onTheDay = decide({ perCapita: 630 }, ZIGONG_COUNTY, '2021-07-01');
    const later = decide({ perCapita: 630 }, ZIGONG_COUNTY, '2021-12-31');
    expect(before.parameters.standard?.value).toBe(610);
    expect(before.outputs).toMatchObject({
      dibaoCandidate: false,
      inRoster: true,
      hardshipType: '低保边缘户',
    });
    expect(onTheDay.outputs).toMatchObject({ dibaoCandidate: true, inRoster: false, entitlement: 60 });
    expect(later.outputs).toEqual(onTheDay.outputs);
  });

  it('explanations name the compared values and render the reason with them', () => {
    const d = decide({ perCapita: 523.33 });
    const below = rule(d, 'atOrBelowStandard');
    expect(below.passed).toBe(true);
    expect(below.comparisons).toEqual([{ op: '<=', operands: [52333, 65000] }]);
    expect(below.values).toEqual({ perCapitaMonthlyIncomeFen: 52333, standardFen: 65000 });
    expect(below.reason['zh-CN']).toBe('人均月收入 523.33 元 ≤ 低保标准 650 元（按分比较）');
    const marginal = rule(d, 'marginalIncome');
    expect(marginal.passed).toBe(false);
    expect(marginal.comparisons).toEqual([{ op: '<', operands: [65000, 52333, 97500] }]);
    expect(marginal.reason.en).toContain('523.33 is not strictly between 650 and 975');
  });

  it('explains a compound rule by each of its comparisons', () => {
    const e = rule(decide({ perCapita: 1100, medical: 40000 }), 'rigidSpendingCause');
    expect(e.passed).toBe(true);
    expect(e.comparisons.map((c) => c.operands)).toEqual([
      [40000, 39600],
      [-1111, 65000],
    ]);
    expect(e.reason['zh-CN']).toContain('刚性支出 40000 元 > 认定线 39600 元');
  });

  it('reports a missing standard with a stable code naming it', () => {
    expect(() =>
      compiled.evaluate(household({ perCapita: 500 }), {
        asOf: '2019-12-31',
        orgCode: ZIGONG_COUNTY,
        parameters: demoLookup(),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'NX_ERR_RULES_PARAMETER_MISSING',
        message: expect.stringContaining('dibao_standard'),
      }),
    );
  });

  it('falls back to the ruleset’s default for a factor no unit defines', () => {
    const onlyStandard = demoRecords().filter((r) => r.name === 'dibao_standard');
    const d = decide({ perCapita: 974.99 }, ZIGONG_COUNTY, AFTER_RAISE, lookupOf(onlyStandard));
    expect(d.parameters.marginalFactor).toEqual({ name: 'marginal_factor', value: 1.5, default: true });
    expect(d.outputs.inRoster).toBe(true);
  });

  it('explain: false gives the same outputs without the explanation', () => {
    const data = household({ perCapita: 800, inPovertyRegistry: true });
    const full = compiled.evaluate(data, {
      asOf: AFTER_RAISE,
      orgCode: ZIGONG_COUNTY,
      parameters: demoLookup(),
    });
    const bare = compiled.evaluate(data, {
      asOf: AFTER_RAISE,
      orgCode: ZIGONG_COUNTY,
      parameters: demoLookup(),
      explain: false,
    });
    expect(bare.outputs).toEqual(full.outputs);
    expect(full.explanation).toHaveLength(compiled.ruleset.rules.length);
    expect(bare.explanation).toEqual([]);
  });
});
