import { describe, expect, it } from 'vitest';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import type { ValidationError } from '../../../engine/runtime/types.ts';
import { makeIdcard, withWrongCheck } from '../logic/idcard-factory.ts';
import { allTypesForm, L } from './form-factory.ts';

const ctx = { today: '2026-06-01' };
const codes = (errors: ValidationError[]) => errors.map((e) => `${e.path} ${e.code}`);

const head = makeIdcard('510104', '19700315', '011'); // man, 56 on 2026-06-01
const spouse = makeIdcard('510104', '19720808', '022');
const child = makeIdcard('510104', '20150101', '033');

function validSurvey(): Record<string, unknown> {
  return {
    headName: '王建国',
    headIdNumber: head,
    phone: '13812345678',
    householdSize: '3',
    orgUnit: '510104',
    causes: ['illness'],
    headIncome: '6,000.10',
    members: [
      { name: '李秀英', relation: 'spouse', idNumber: spouse, annualIncome: 0.2 },
      { name: '王小明', relation: 'child', idNumber: child, school: '锦江小学' },
    ],
  };
}

describe('compileForm: a survey-shaped form with every field type', () => {
  const compiled = compileForm(allTypesForm());

  it('uses a definition the loader accepts', () => {
    expect(loadForm(JSON.parse(JSON.stringify(allTypesForm())))).toMatchObject({ ok: true, problems: [] });
  });

  it('accepts a realistic submission and normalises it', () => {
    const r = compiled.validate(validSurvey(), ctx);
    expect(codes(r.errors)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({
      householdSize: 3,
      headIncome: 6000.1,
      headSex: 'male',
      headAge: 56,
      visitDate: '2021-05-01',
      inLowIncomeRegistry: false,
      totalIncome: 6000.3,
      perCapitaMonthly: 166.68,
    });
    const members = r.data.members as Record<string, unknown>[];
    expect(members[0]).toEqual({
      name: '李秀英',
      relation: 'spouse',
      idNumber: spouse,
      age: 53,
      annualIncome: 0.2,
    });
    expect(members[1]).toMatchObject({ age: 11, school: '锦江小学' });
  });

  it('points errors into table rows and checks row-scoped rules', () => {
    const data = validSurvey();
    const members = data.members as Record<string, unknown>[];
    members.push({ name: '王大爷', relation: 'parent', ageGiven: '200' });
    members.push({ name: '', relation: 'cousin', idNumber: withWrongCheck(child) });
    members.push({ name: '王老二', relation: 'child', idNumber: makeIdcard('510104', '19500101', '013') });
    data.householdSize = 6;
    const r = compiled.validate(data, ctx);
    expect(codes(r.errors)).toEqual([
      '/members/2/ageGiven NX_ERR_VALUE_MAX',
      '/members/3/relation NX_ERR_VALUE_OPTION',
      '/members/3/idNumber NX_ERR_VALUE_IDCARD_CHECKSUM',
      '/members/3/name NX_ERR_VALUE_REQUIRED',
      '/members/4/age CHILD_OLDER_THAN_HEAD',
    ]);
    expect(r.errors[4]?.message).toEqual(
      L('子女年龄不应大于户主年龄', 'A child should not be older than the head'),
    );
    expect(r.ok).toBe(false);
  });

  it('hides and clears fields whose visibleIf is false, also in hidden sections', () => {
    const data = { ...validSurvey(), causeOther: '   ', registryNumber: 'X-1' };
    const r = compiled.validate(data, ctx);
    expect(r.data).not.toHaveProperty('causeOther');
    expect(r.data).not.toHaveProperty('registryNumber');
    expect(r.ok).toBe(true);
    const r2 = compiled.validate(
      { ...data, causes: ['other'], inLowIncomeRegistry: 'true', registryNumber: '' },
      ctx,
    );
    expect(codes(r2.errors)).toEqual([
      '/causeOther NX_ERR_VALUE_REQUIRED',
      '/registryNumber NX_ERR_VALUE_REQUIRED',
    ]);
  });

  it('a hidden field is not checked even when its value is invalid', () => {
    const data = validSurvey();
    (data.members as Record<string, unknown>[])[0] = {
      name: '甲',
      relation: 'spouse',
      idNumber: spouse,
      ageGiven: 'abc',
    };
    expect(compiled.validate(data, ctx).ok).toBe(true);
  });

  it('drops unknown keys silently', () => {
    const r = compiled.validate({ ...validSurvey(), hacker: 1, __proto__: { x: 1 } }, ctx);
    expect(r.ok).toBe(true);
    expect(Object.keys(r.data)).not.toContain('hacker');
    expect((r.data.members as object[])[0]).not.toHaveProperty('extra');
  });

  it('skips required checks in draft mode but still checks what was entered', () => {
    const r = compiled.validate({ headName: '王', householdSize: 1 }, { ...ctx, mode: 'draft' });
    expect(codes(r.errors)).toEqual(['/headName NX_ERR_VALUE_MIN_LENGTH']);
    const submit = compiled.validate({ headName: '王建国', householdSize: 1 }, ctx);
    expect(codes(submit.errors)).toEqual([
      '/headIdNumber NX_ERR_VALUE_REQUIRED',
      '/phone NX_ERR_VALUE_REQUIRED',
    ]);
  });

  it('checks form-level constraints with path ""', () => {
    const r = compiled.validate({ ...validSurvey(), householdSize: 5 }, ctx);
    expect(r.errors).toEqual([
      {
        path: '',
        code: 'HOUSEHOLD_SIZE',
        message: L('家庭人口应等于家庭成员数加户主', 'Household size must equal the members plus the head'),
        params: {},
      },
    ]);
  });

  it('gives bilingual messages that say how to fix the value', () => {
    const r = compiled.validate({ ...validSurvey(), headIdNumber: '5101041970', householdSize: 0 }, ctx);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(byPath['/headIdNumber']).toEqual(L('请输入 18 位身份证号码', 'Enter an 18-digit ID number'));
    expect(byPath['/householdSize']).toEqual(L('不能小于 1', 'Enter a value of at least 1'));
  });

  it('never throws on bad data', () => {
    for (const bad of [null, 1, 'x', [], true]) {
      const r = compiled.validate(bad, ctx);
      expect(r.ok).toBe(false);
      expect(codes(r.errors)).toEqual([' NX_ERR_VALUE_NOT_OBJECT']);
    }
    const garbage: unknown[] = [null, 0, -1, 'abc', '', [], [1, 'x'], {}, { a: [] }, true, 1e308, Number.NaN];
    let seed = 7;
    const pick = () => {
      seed = (seed * 48271) % 2147483647;
      return garbage[seed % garbage.length];
    };
    const ids = [
      'headName',
      'headIdNumber',
      'phone',
      'householdSize',
      'causes',
      'members',
      'headIncome',
      'visitDate',
      'healthScore',
    ];
    for (let i = 0; i < 300; i++) {
      const data: Record<string, unknown> = {};
      for (const id of ids) data[id] = pick();
      data.members = [pick(), { name: pick(), relation: pick(), idNumber: pick(), annualIncome: pick() }];
      const r = compiled.validate(data, ctx);
      for (const e of r.errors) {
        expect(typeof e.path).toBe('string');
        expect(e.message['zh-CN'].length).toBeGreaterThan(0);
        expect(e.message.en.length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps no state between calls', () => {
    const bad = compiled.validate({ ...validSurvey(), phone: 'x' }, ctx);
    const good = compiled.validate(validSurvey(), ctx);
    const again = compiled.validate({ ...validSurvey(), phone: 'x' }, ctx);
    expect(good.ok).toBe(true);
    expect(again).toEqual(bad);
  });
});
