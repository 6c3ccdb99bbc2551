import { describe, expect, it } from 'vitest';
import { orgLevelOf, parameterCatalog } from '../../../plugins/rules/parameter-catalog.ts';
import { eligibility } from './fixtures.ts';

const catalog = parameterCatalog([eligibility().ruleset]);
const record = (over: Record<string, unknown>) => ({
  name: 'dibao_standard',
  orgCode: '510000',
  area: 'urban' as const,
  validFrom: '2021-07-01',
  value: 650,
  ...over,
});
const codes = (over: Record<string, unknown>) =>
  catalog.check(record(over) as Parameters<typeof catalog.check>[0]).map((d) => `${d.path} ${d.code}`);

describe('parameter catalog', () => {
  it('lists what the shipped ruleset declares, with label, unit, type and bounds', () => {
    expect(catalog.names()).toContain('dibao_standard');
    expect(catalog.get('dibao_standard')).toMatchObject({
      label: { 'zh-CN': '低保标准' },
      unit: '元/人/月',
      type: 'money',
      minimum: 1,
      rulesets: ['household-eligibility'],
    });
  });

  it('accepts a declared value and refuses a typo with the nearest declared name', () => {
    expect(codes({})).toEqual([]);
    const typo = catalog.check(record({ name: 'dibao_standerd' }));
    expect(typo).toMatchObject([
      { path: '/name', code: 'NX_ERR_RULES_UNDECLARED_PARAMETER', params: { suggestion: 'dibao_standard' } },
    ]);
    expect(typo[0]?.message['zh-CN']).toContain('是否要写“dibao_standard”');
    expect(codes({ name: 'something_else_entirely' })).toEqual(['/name NX_ERR_RULES_UNDECLARED_PARAMETER']);
  });

  it('refuses values out of range, with more than fen precision, or set where the declaration does not allow', () => {
    expect(codes({ value: -5 })).toEqual(['/value NX_ERR_RULES_PARAMETER_OUT_OF_RANGE']);
    expect(codes({ value: 10000.01 })).toEqual(['/value NX_ERR_RULES_PARAMETER_OUT_OF_RANGE']);
    expect(codes({ value: 650.001 })).toEqual(['/value NX_ERR_RULES_PARAMETER_OUT_OF_RANGE']);
    expect(codes({ value: 650.01 })).toEqual([]);
    expect(codes({ orgCode: '511923102' })).toEqual(['/orgCode NX_ERR_RULES_PARAMETER_NOT_ALLOWED']);
    expect(codes({ name: 'marginal_factor', value: 0.5 })).toEqual([
      '/value NX_ERR_RULES_PARAMETER_OUT_OF_RANGE',
    ]);
  });

  it('reads the level of an org unit from its code', () => {
    expect(['510000', '511900', '511923', '511923102', '511923102201'].map(orgLevelOf)).toEqual([
      'province',
      'city',
      'county',
      'township',
      'village',
    ]);
  });
});
