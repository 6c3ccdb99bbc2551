import { describe, expect, it } from 'vitest';
import { orgChain } from '../../../plugins/rules/org-chain.ts';
import {
  createMemoryParameterSource,
  loadParameterRecords,
  type ParameterRecord,
  resolveParameter,
} from '../../../plugins/rules/parameters.ts';

const rec = (
  orgCode: string,
  validFrom: string,
  value: number,
  area: 'urban' | 'rural' | null = 'rural',
): ParameterRecord => ({
  name: 'dibao_standard',
  orgCode,
  area,
  validFrom,
  value,
});

// Province, city, county and a village in that county.
const records = [
  rec('510000', '2020-01-01', 430),
  rec('510000', '2021-07-01', 470),
  rec('511900', '2020-01-01', 450),
  rec('511923', '2021-10-01', 520),
];
const q = (orgCode: string, asOf: string, area: 'urban' | 'rural' | null = 'rural') => ({
  name: 'dibao_standard',
  orgCode,
  area,
  asOf,
});

describe('orgChain', () => {
  it('walks village → township → county → city → province', () => {
    expect(orgChain('511923101201')).toEqual(['511923101201', '511923101', '511923', '511900', '510000']);
    expect(orgChain('511900')).toEqual(['511900', '510000']);
    expect(orgChain('510000')).toEqual(['510000']);
  });
});

describe('resolveParameter', () => {
  it('takes the nearest unit that defines a value: county over city over province', () => {
    expect(resolveParameter(records, q('511923101201', '2021-12-01'))?.value).toBe(520);
    expect(resolveParameter(records, q('511902', '2021-12-01'))?.value).toBe(450); // another county: the city's
    expect(resolveParameter(records, q('510302', '2021-12-01'))?.value).toBe(470); // another city: the province's
  });

  it('applies a value from its first day only; before it, the unit above answers', () => {
    expect(resolveParameter(records, q('511923', '2021-09-30'))).toMatchObject({
      value: 450,
      orgCode: '511900',
    });
    expect(resolveParameter(records, q('511923', '2021-10-01'))).toMatchObject({
      value: 520,
      orgCode: '511923',
    });
    expect(resolveParameter(records, q('510302', '2021-06-30'))?.value).toBe(430);
    expect(resolveParameter(records, q('510302', '2021-07-01'))?.value).toBe(470);
  });

  it('picks the area’s series, and a series for both areas when the unit has no area series', () => {
    const mixed = [
      rec('510000', '2020-01-01', 610, 'urban'),
      rec('510000', '2020-01-01', 430, 'rural'),
      rec('510100', '2020-01-01', 890, null),
    ];
    expect(resolveParameter(mixed, q('510302', '2021-01-01', 'urban'))?.value).toBe(610);
    expect(resolveParameter(mixed, q('510302', '2021-01-01', 'rural'))?.value).toBe(430);
    // Chengdu's single series beats the province's area series: the nearer unit wins.
    expect(resolveParameter(mixed, q('510104', '2021-01-01', 'urban'))?.value).toBe(890);
    expect(resolveParameter(mixed, q('510104', '2021-01-01', null))?.value).toBe(890);
    // Within one unit, the area series is preferred to the shared one.
    const both = [rec('510000', '2020-01-01', 500, null), rec('510000', '2020-01-01', 610, 'urban')];
    expect(resolveParameter(both, q('510302', '2021-01-01', 'urban'))?.value).toBe(610);
    expect(resolveParameter(both, q('510302', '2021-01-01', 'rural'))?.value).toBe(500);
  });

  it('is undefined before any value and for another name', () => {
    expect(resolveParameter(records, q('511923', '2019-12-31'))).toBeUndefined();
    expect(resolveParameter(records, { ...q('511923', '2022-01-01'), name: 'other' })).toBeUndefined();
  });

  it('uses a caller-given chain (e.g. a county directly under the province)', () => {
    expect(
      resolveParameter(records, { ...q('429004', '2021-12-01'), chain: ['429004', '510000'] })?.value,
    ).toBe(470);
  });
});

describe('memory parameter source', () => {
  it('replaces a value of the same series and date, and reads series by name', async () => {
    const src = createMemoryParameterSource(records);
    src.set(rec('511923', '2021-10-01', 530));
    src.set({ ...rec('510000', '2020-01-01', 1.5, null), name: 'marginal_factor' });
    const loaded = await loadParameterRecords(src, ['dibao_standard', 'dibao_standard']);
    expect(loaded).toHaveLength(4);
    expect(resolveParameter(loaded, q('511923', '2021-10-01'))?.value).toBe(530);
    expect(() => src.set(rec('510000', '2022-01-01', Number.NaN))).toThrow(/finite/);
  });
});
