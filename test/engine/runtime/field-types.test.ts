import { describe, expect, it } from 'vitest';
import { createFieldTypeRegistry } from '../../../engine/runtime/field-types/registry.ts';
import { type CheckResult, type FieldSpec, isFail } from '../../../engine/runtime/field-types/types.ts';
import { makeIdcard, withWrongCheck } from '../logic/idcard-factory.ts';

const env = { today: '2026-06-01' };
const registry = createFieldTypeRegistry();

/** Compiles a field of `type` with extra properties and returns a checker that copies its result. */
function checker(type: string, extra: Record<string, unknown> = {}) {
  const def = registry.get(type);
  if (!def) throw new Error(`no type ${type}`);
  const check = def.compile({ id: 'f', type, ...extra } as FieldSpec);
  return (raw: unknown): { value: unknown } | { code: string; params?: Record<string, unknown> } => {
    const r: CheckResult = check(raw, env);
    return isFail(r) ? { code: r.code, ...(r.params ? { params: r.params } : {}) } : { value: r.value };
  };
}
const ok = (value: unknown) => ({ value });
const code = (c: string) => expect.objectContaining({ code: `NX_ERR_VALUE_${c}` });

describe('built-in field types', () => {
  it('registers every scalar type of the form schema with an options schema', () => {
    const names = [
      'text',
      'textarea',
      'integer',
      'number',
      'money',
      'date',
      'select',
      'multiselect',
      'boolean',
      'phone',
      'idcard',
      'orgunit',
      'photo',
      'file',
      'signature',
      'geopoint',
    ];
    expect(registry.names().sort()).toEqual([...names].sort());
    for (const n of names) expect(registry.get(n)?.options, n).toBeDefined();
    expect(registry.has('table')).toBe(false);
  });

  it('text / textarea: trims, counts characters, checks a unicode pattern', () => {
    const c = checker('text', { minLength: 2, maxLength: 4, pattern: '^\\p{Script=Han}+$' });
    expect(c('  张三 ')).toEqual(ok('张三'));
    expect(c('张')).toEqual(code('MIN_LENGTH'));
    expect(c('张三李四王')).toEqual(code('MAX_LENGTH'));
    expect(c('Li')).toEqual(code('PATTERN'));
    expect(c({})).toEqual(code('TYPE'));
    expect(checker('text')(123)).toEqual(ok('123'));
    expect(checker('textarea', { maxLength: 3 })('𠀀𠀀𠀀')).toEqual(ok('𠀀𠀀𠀀'));
  });

  it('integer: numeric text becomes a number; fractions and garbage are type errors; min/max', () => {
    const c = checker('integer', { min: 1, max: 20 });
    expect(c('3')).toEqual(ok(3));
    expect(c(' 12 ')).toEqual(ok(12));
    expect(c(4)).toEqual(ok(4));
    expect(c('3.5')).toEqual(code('TYPE'));
    expect(c('abc')).toEqual(code('TYPE'));
    expect(c('1,234')).toEqual(code('TYPE'));
    expect(c(0)).toEqual({ code: 'NX_ERR_VALUE_MIN', params: { min: 1 } });
    expect(c(21)).toEqual({ code: 'NX_ERR_VALUE_MAX', params: { max: 20 } });
    expect(c(true)).toEqual(code('TYPE'));
  });

  it('number: decimals round half away from zero; NaN and Infinity are refused', () => {
    const c = checker('number', { decimals: 1 });
    expect(c('85.25')).toEqual(ok(85.3));
    expect(c(-0.05)).toEqual(ok(-0.1));
    expect(c(Number.NaN)).toEqual(code('TYPE'));
    expect(c(Number.POSITIVE_INFINITY)).toEqual(code('TYPE'));
    expect(c('Infinity')).toEqual(code('TYPE'));
    expect(checker('number')('1e3')).toEqual(ok(1000));
  });

  it('money: yuan to the fen without drift, grouped digits accepted, min applies', () => {
    const c = checker('money', { min: 0 });
    expect(c('1,234.50')).toEqual(ok(1234.5));
    expect(c(1.005)).toEqual(ok(1.01));
    expect(c('0.125')).toEqual(ok(0.13));
    expect(c(12000)).toEqual(ok(12000));
    expect(c('-5')).toEqual(code('MIN'));
    expect(c('12,34')).toEqual(code('TYPE'));
    expect(c(Number.NaN)).toEqual(code('TYPE'));
  });

  it('date: real calendar dates within min/max', () => {
    const c = checker('date', { min: '2021-04-25', max: '2022-01-04' });
    expect(c('2021-06-03')).toEqual(ok('2021-06-03'));
    expect(c('2021-02-30')).toEqual(code('DATE'));
    expect(c('2021-6-3')).toEqual(code('DATE'));
    expect(c(20210603)).toEqual(code('DATE'));
    expect(c('2021-04-24')).toEqual(code('MIN'));
    expect(c('2022-01-05')).toEqual(code('MAX'));
    expect(checker('date')('2024-02-29')).toEqual(ok('2024-02-29'));
  });

  const options = [
    { value: 'illness', label: { 'zh-CN': '疾病', en: 'Illness' } },
    { value: 'disaster', label: { 'zh-CN': '灾害', en: 'Disaster' } },
    { value: 3, label: { 'zh-CN': '三级', en: 'Grade 3' } },
  ];
  it('select: one of the options; numeric text finds a numeric option', () => {
    const c = checker('select', { options });
    expect(c('illness')).toEqual(ok('illness'));
    expect(c('3')).toEqual(ok(3));
    expect(c(3)).toEqual(ok(3));
    expect(c('other')).toEqual({
      code: 'NX_ERR_VALUE_OPTION',
      params: { allowed: ['illness', 'disaster', 3] },
    });
    expect(c(['illness'])).toEqual(code('OPTION'));
  });

  it('multiselect: distinct options, min/max items, a single value is one tick', () => {
    const c = checker('multiselect', { options, minItems: 1, maxItems: 2 });
    expect(c(['illness', 'disaster'])).toEqual(ok(['illness', 'disaster']));
    expect(c('illness')).toEqual(ok(['illness']));
    expect(c(['illness', 'illness'])).toEqual(code('DUPLICATE'));
    expect(c(['illness', 'nope'])).toEqual(code('OPTION'));
    expect(c(['illness', 'disaster', 3])).toEqual(code('MAX_ITEMS'));
    expect(checker('multiselect', { options, minItems: 2 })(['illness'])).toEqual(code('MIN_ITEMS'));
    expect(c({ a: 1 })).toEqual(code('TYPE'));
  });

  it("boolean: true/false and the text 'true'/'false'", () => {
    const c = checker('boolean');
    expect(c(true)).toEqual(ok(true));
    expect(c('false')).toEqual(ok(false));
    expect(c('yes')).toEqual(code('TYPE'));
    expect(c(1)).toEqual(code('TYPE'));
  });

  it('phone: mobile and landline, restricted by kind', () => {
    const any = checker('phone');
    expect(any('13812345678')).toEqual(ok('13812345678'));
    expect(any('+86 138 1234 5678')).toEqual(ok('13812345678'));
    expect(any('028-86612345')).toEqual(ok('028-86612345'));
    expect(any('02886612345')).toEqual(ok('02886612345'));
    expect(any('0831-1234567-802')).toEqual(ok('0831-1234567-802'));
    expect(any('12812345678')).toEqual(code('PHONE'));
    expect(any('1381234567')).toEqual(code('PHONE'));
    expect(any('28-86612345')).toEqual(code('PHONE'));
    expect(checker('phone', { kind: 'mobile' })('028-86612345')).toEqual(code('PHONE'));
    expect(checker('phone', { kind: 'landline' })('13812345678')).toEqual(code('PHONE'));
    expect(any(13812345678)).toEqual(ok('13812345678'));
  });

  it('idcard: format, check digit and birth date each have their own code', () => {
    const c = checker('idcard');
    const id = makeIdcard('510104', '19900101', '123');
    expect(c(` ${id} `)).toEqual(ok(id));
    expect(c('11010519491231002x')).toEqual(ok('11010519491231002X'));
    expect(c('51010419900101123')).toEqual(code('IDCARD_FORMAT'));
    expect(c(withWrongCheck(id))).toEqual(code('IDCARD_CHECKSUM'));
    expect(c(makeIdcard('510104', '20260602', '123'))).toEqual(code('IDCARD_BIRTHDATE'));
    expect(c(makeIdcard('510104', '19900230', '123'))).toEqual(code('IDCARD_BIRTHDATE'));
  });

  it('orgunit: 6, 9 or 12 digits, narrowed by level', () => {
    const c = checker('orgunit');
    for (const v of ['510000', '510104', '510104001', '510104001001']) expect(c(v)).toEqual(ok(v));
    expect(c('51010')).toEqual(code('ORGUNIT'));
    expect(c('5101040010')).toEqual(code('ORGUNIT'));
    expect(c(510104)).toEqual(ok('510104'));
    expect(checker('orgunit', { level: 'province' })('510000')).toEqual(ok('510000'));
    expect(checker('orgunit', { level: 'province' })('510100')).toEqual(code('ORGUNIT'));
    expect(checker('orgunit', { level: 'city' })('510100')).toEqual(ok('510100'));
    expect(checker('orgunit', { level: 'city' })('510000')).toEqual(code('ORGUNIT'));
    expect(checker('orgunit', { level: 'county' })('510104')).toEqual(ok('510104'));
    expect(checker('orgunit', { level: 'county' })('510100')).toEqual(code('ORGUNIT'));
    expect(checker('orgunit', { level: 'village' })('510104001001')).toEqual(ok('510104001001'));
  });

  it('a plugin registers a new type into a fork, and table/group stay structural', () => {
    const fork = registry.fork();
    fork.register({
      name: 'bankcard',
      options: registry.get('boolean')?.options as never,
      compile: () => (raw) =>
        typeof raw === 'string' && /^\d{16,19}$/.test(raw)
          ? { value: raw }
          : { code: 'NX_ERR_VALUE_PATTERN' },
    });
    expect(fork.has('bankcard')).toBe(true);
    expect(registry.has('bankcard')).toBe(false);
    expect(() =>
      fork.register({
        name: 'table',
        options: registry.get('boolean')?.options as never,
        compile: () => () => ({ value: 1 }),
      }),
    ).toThrow(/NX_ERR_RUNTIME_BAD_FIELD_TYPE/);
  });
});
