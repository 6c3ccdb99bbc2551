import { describe, expect, it } from 'vitest';
import { compileLogic } from '../../../engine/logic/compile.ts';
import { roundDecimal, sumMoneySafe } from '../../../engine/logic/decimal.ts';
import { makeIdcard, withWrongCheck } from './idcard-factory.ts';

const ctx = { today: '2026-06-01' };
const run = (rule: unknown, data: unknown = {}, extra: Record<string, unknown> = {}) =>
  compileLogic(rule)({ data, ctx: { ...ctx, ...extra } });

describe('idcard operations', () => {
  const woman = makeIdcard('510104', '19560720', '042');
  const man = makeIdcard('513401', '20100101', '317');
  it('derive age (as of ctx.today or a given date), sex and birth date', () => {
    expect(run({ idcard_age: { var: 'id' } }, { id: woman })).toBe(69);
    expect(run({ idcard_age: [{ var: 'id' }, '2026-07-20'] }, { id: woman })).toBe(70);
    // As of a date field (a survey date): its value, and ctx.today while it is not filled in.
    expect(run({ idcard_age: [{ var: 'id' }, { var: 'on' }] }, { id: woman, on: '2021-05-10' })).toBe(64);
    expect(run({ idcard_age: [{ var: 'id' }, { var: 'on' }] }, { id: woman, on: '2021-07-20' })).toBe(65);
    expect(run({ idcard_age: [{ var: 'id' }, { var: 'on' }] }, { id: woman })).toBe(69);
    expect(run({ idcard_age: [{ var: 'id' }, { var: 'on' }] }, { id: woman, on: '' })).toBe(69);
    expect(run({ idcard_sex: { var: 'id' } }, { id: woman })).toBe('female');
    expect(run({ idcard_sex: { var: 'id' } }, { id: man })).toBe('male');
    expect(run({ idcard_birthdate: { var: 'id' } }, { id: man })).toBe('2010-01-01');
    expect(run({ idcard_valid: { var: 'id' } }, { id: man })).toBe(true);
  });
  it('return null / false for an invalid number instead of guessing', () => {
    const bad = withWrongCheck(man);
    expect(run({ idcard_age: { var: 'id' } }, { id: bad })).toBeNull();
    expect(run({ idcard_sex: { var: 'id' } }, { id: bad })).toBeNull();
    expect(run({ idcard_birthdate: { var: 'id' } }, { id: bad })).toBeNull();
    expect(run({ idcard_valid: { var: 'id' } }, { id: bad })).toBe(false);
    expect(run({ idcard_valid: { var: 'id' } }, {})).toBe(false);
  });
  it('judge "born in the future" against ctx.today', () => {
    const young = makeIdcard('510104', '20260515', '011');
    expect(run({ idcard_valid: { var: 'id' } }, { id: young })).toBe(true);
    expect(run({ idcard_valid: { var: 'id' } }, { id: young }, { today: '2026-05-01' })).toBe(false);
  });
});

describe('sum', () => {
  const members = [{ income: 0.1 }, { income: 0.2 }, { income: '1,000.05' }, { income: '' }, {}];
  it('sums a table column money-safely: 0.1 + 0.2 = 0.3', () => {
    expect(run({ sum: [{ var: 'm' }, 'income'] }, { m: members.slice(0, 2) })).toBe(0.3);
    expect(run({ sum: [{ var: 'm' }, 'income'] }, { m: members })).toBe(1000.35);
    expect(0.1 + 0.2).not.toBe(0.3);
  });
  it('sums an array or several values, and is 0 for nothing', () => {
    expect(run({ sum: [[0.1, 0.2, 0.3]] })).toBe(0.6);
    expect(run({ sum: [{ var: 'a' }, { var: 'b' }, 1] }, { a: 0.7, b: 0.1 })).toBe(1.8);
    expect(run({ sum: [{ var: 'missing' }, 'x'] })).toBe(0);
  });
  it('falls back to plain addition beyond two decimals', () => {
    expect(sumMoneySafe([0.001, 0.002])).toBeCloseTo(0.003, 12);
    expect(sumMoneySafe([19.99, 0.01, 1234567.89])).toBe(1234587.89);
  });
});

describe('count', () => {
  const members = [{ relation: 'spouse' }, { relation: 'child' }, { relation: 'child' }];
  it('counts rows, or rows for which the rule holds (the row is the data)', () => {
    expect(run({ count: { var: 'm' } }, { m: members })).toBe(3);
    expect(run({ count: [{ var: 'm' }, { '==': [{ var: 'relation' }, 'child'] }] }, { m: members })).toBe(2);
    expect(
      run(
        { count: [{ var: 'm' }, { '==': [{ var: 'relation' }, { var: 'ctx.rel' }] }] },
        { m: members },
        { rel: 'spouse' },
      ),
    ).toBe(1);
    expect(run({ count: { var: 'none' } })).toBe(0);
  });
});

describe('round', () => {
  it('rounds half away from zero in decimal, without float drift', () => {
    expect(run({ round: [1.005, 2] })).toBe(1.01);
    expect(run({ round: [2.675, 2] })).toBe(2.68);
    expect(run({ round: [-1.005, 2] })).toBe(-1.01);
    expect(run({ round: [2.5] })).toBe(3);
    expect(run({ round: [-2.5] })).toBe(-3);
    expect(run({ round: [1234.5678, 1] })).toBe(1234.6);
    expect(run({ round: [1250, -2] })).toBe(1300);
    expect(run({ round: ['8.125', 2] })).toBe(8.13);
    expect(run({ round: ['abc', 2] })).toBeNull();
    expect(roundDecimal(1e-7, 2)).toBe(0);
    expect(roundDecimal(1.23e21, 2)).toBe(1.23e21);
    expect(Math.round(1.005 * 100) / 100).toBe(1); // the drift being avoided
  });
});

describe('date_diff and today', () => {
  it('counts whole days, months and years', () => {
    expect(run({ date_diff: ['2021-04-25', '2021-06-03', 'days'] })).toBe(39);
    expect(run({ date_diff: ['2021-04-25', '2021-06-03'] })).toBe(39);
    expect(run({ date_diff: ['2021-01-31', '2021-02-28', 'months'] })).toBe(0);
    expect(run({ date_diff: ['2021-01-31', '2021-03-31', 'months'] })).toBe(2);
    expect(run({ date_diff: ['1956-07-20', '2026-07-19', 'years'] })).toBe(69);
    expect(run({ date_diff: ['1956-07-20', '2026-07-20', 'years'] })).toBe(70);
    expect(run({ date_diff: ['2026-07-20', '1956-07-20', 'years'] })).toBe(-70);
    expect(run({ date_diff: ['2020-02-28', '2020-03-01', 'days'] })).toBe(2);
  });
  it('is null for a non-date or an unknown unit', () => {
    expect(run({ date_diff: ['2021-02-30', '2021-03-01', 'days'] })).toBeNull();
    expect(run({ date_diff: ['2021-01-01', '2021-03-01', 'weeks'] })).toBeNull();
  });
  it('today is ctx.today, and defaults to a real date', () => {
    expect(run({ today: [] })).toBe('2026-06-01');
    expect(compileLogic({ today: [] })({ data: {} })).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(run({ date_diff: [{ var: 'since' }, { today: [] }, 'days'] }, { since: '2026-05-01' })).toBe(31);
  });
});
