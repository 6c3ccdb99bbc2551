import { describe, expect, it } from 'vitest';
import { createOperationRegistry } from '../../../engine/logic/registry.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import { createFieldTypeRegistry } from '../../../engine/runtime/field-types/registry.ts';
import type { ValidationError } from '../../../engine/runtime/types.ts';
import { makeIdcard, withWrongCheck } from '../logic/idcard-factory.ts';
import { allTypesForm, field, form, L, opt } from './form-factory.ts';

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

describe('compileForm: rule features one by one', () => {
  it('fills computed fields in dependency order, whatever the document order', () => {
    const def = form([
      field('d', 'integer', { calculate: { '+': [{ var: 'c' }, 1] } }),
      field('c', 'integer', { calculate: { '*': [{ var: 'b' }, 2] } }),
      field('showE', 'boolean', { calculate: { '>': [{ var: 'd' }, 10] } }),
      field('e', 'text', { visibleIf: { var: 'showE' }, required: true }),
      field('b', 'integer', { calculate: { '+': [{ var: 'a' }, 1] } }),
      field('a', 'integer'),
    ]);
    const c = compileForm(def);
    expect(c.validate({ a: '4' }, ctx)).toEqual({
      ok: false,
      data: { a: 4, b: 5, c: 10, d: 11, showE: true },
      errors: [expect.objectContaining({ path: '/e', code: 'NX_ERR_VALUE_REQUIRED' })],
    });
    expect(c.validate({ a: 1, e: 'x' }, ctx)).toEqual({
      ok: true,
      data: { a: 1, b: 2, c: 4, d: 5, showE: false },
      errors: [],
    });
  });

  it('a calculation reads a hidden field as absent', () => {
    const def = form([
      field('x', 'money', { visibleIf: { var: 'useX' } }),
      field('useX', 'boolean'),
      field('y', 'money', { calculate: { '+': [{ var: ['x', 0] }, 1] } }),
    ]);
    const c = compileForm(def);
    expect(c.validate({ x: 5, useX: false }, ctx).data).toEqual({ useX: false, y: 1 });
    expect(c.validate({ x: 5, useX: true }, ctx).data).toEqual({ x: 5, useX: true, y: 6 });
  });

  it('requiredIf follows other values, and a division by zero leaves a computed field empty', () => {
    const def = form([
      field('hasJob', 'boolean'),
      field('employer', 'text', { requiredIf: { '==': [{ var: 'hasJob' }, true] } }),
      field('ratio', 'number', { calculate: { '/': [1, { var: 'n' }] } }),
      field('n', 'integer'),
    ]);
    const c = compileForm(def);
    expect(codes(c.validate({ hasJob: true }, ctx).errors)).toEqual(['/employer NX_ERR_VALUE_REQUIRED']);
    expect(c.validate({ hasJob: false }, ctx).ok).toBe(true);
    expect(c.validate({ n: 0 }, ctx).data).toEqual({ n: 0 });
    expect(c.validate({ n: 4 }, ctx).data).toEqual({ n: 4, ratio: 0.25 });
  });

  it('field constraints: custom or default code, skipped when the field is empty', () => {
    const def = form([
      field('visits', 'integer'),
      field('partyVisits', 'integer', {
        constraints: [
          {
            rule: { '<=': [{ var: 'partyVisits' }, { var: 'visits' }] },
            message: L('不能超过总数', 'Cannot exceed the total'),
          },
        ],
      }),
    ]);
    const c = compileForm(def);
    expect(c.validate({ visits: 3, partyVisits: 4 }, ctx).errors).toEqual([
      {
        path: '/partyVisits',
        code: 'NX_ERR_VALUE_CONSTRAINT',
        message: L('不能超过总数', 'Cannot exceed the total'),
        params: {},
      },
    ]);
    expect(c.validate({ visits: 3, partyVisits: 3 }, ctx).ok).toBe(true);
    expect(c.validate({ visits: 3 }, ctx).ok).toBe(true);
  });

  it('groups nest no data and a hidden group hides its fields', () => {
    const def = form([
      field('kind', 'select', { options: [opt('a', '甲', 'A'), opt('b', '乙', 'B')] }),
      {
        id: 'g',
        type: 'group',
        label: L('组', 'Group'),
        visibleIf: { '==': [{ var: 'kind' }, 'b'] },
        fields: [
          {
            id: 'inner',
            type: 'group',
            label: L('内', 'Inner'),
            fields: [field('deep', 'text', { required: true })],
          },
        ],
      },
    ]);
    const c = compileForm(def);
    expect(c.validate({ kind: 'a', deep: 'x' }, ctx)).toEqual({ ok: true, data: { kind: 'a' }, errors: [] });
    expect(c.validate({ kind: 'b', deep: 'x' }, ctx).data).toEqual({ kind: 'b', deep: 'x' });
    expect(codes(c.validate({ kind: 'b' }, ctx).errors)).toEqual(['/deep NX_ERR_VALUE_REQUIRED']);
  });

  it('tables: min/max rows, not a list, a row that is not an object, empty and required', () => {
    const def = form([
      field('rows', 'table', {
        minRows: 1,
        maxRows: 2,
        columns: [field('v', 'integer', { required: true })],
      }),
    ]);
    const c = compileForm(def);
    expect(codes(c.validate({ rows: [{ v: 1 }, { v: 2 }, { v: 3 }] }, ctx).errors)).toEqual([
      '/rows NX_ERR_VALUE_MAX_ROWS',
    ]);
    expect(codes(c.validate({ rows: [] }, ctx).errors)).toEqual(['/rows NX_ERR_VALUE_MIN_ROWS']);
    expect(c.validate({ rows: [] }, { ...ctx, mode: 'draft' }).ok).toBe(true);
    expect(codes(c.validate({ rows: 'x' }, ctx).errors)).toEqual(['/rows NX_ERR_VALUE_TYPE']);
    expect(codes(c.validate({ rows: [5, {}] }, ctx).errors)).toEqual([
      '/rows/0 NX_ERR_VALUE_TYPE',
      '/rows/1/v NX_ERR_VALUE_REQUIRED',
    ]);
    const req = compileForm(form([field('t', 'table', { required: true, columns: [field('v', 'text')] })]));
    expect(codes(req.validate({}, ctx).errors)).toEqual(['/t NX_ERR_VALUE_REQUIRED']);
    expect(req.validate({ t: [{ v: ' a ' }] }, ctx).data).toEqual({ t: [{ v: 'a' }] });
  });

  it('a row-scoped rule can read top-level fields, and a top-level sum reads computed columns', () => {
    const def = form([
      field('total', 'money', { calculate: { sum: [{ var: 'rows' }, 'net'] } }),
      field('rows', 'table', {
        columns: [
          field('gross', 'money'),
          field('net', 'money', { calculate: { '*': [{ var: 'row.gross' }, { var: 'rate' }] } }),
        ],
      }),
      field('rate', 'number'),
    ]);
    const r = compileForm(def).validate({ rate: 0.5, rows: [{ gross: 0.2 }, { gross: 0.4 }] }, ctx);
    expect(r.data).toEqual({
      rate: 0.5,
      rows: [
        { gross: 0.2, net: 0.1 },
        { gross: 0.4, net: 0.2 },
      ],
      total: 0.3,
    });
  });

  it('uses ctx in rules and ctx.today for ages; plugins bring operations and field types', () => {
    const ops = createOperationRegistry().fork();
    ops.register({
      name: 'times_standard',
      arity: [1, 1],
      compile:
        ([a]) =>
        (env) =>
          Number(a?.(env)) * Number(env.ctx?.standard),
    });
    const types = createFieldTypeRegistry().fork();
    types.register({
      name: 'upper',
      options: types.get('boolean')?.options as never,
      compile: () => (raw) =>
        typeof raw === 'string' ? { value: raw.toUpperCase() } : { code: 'NX_ERR_VALUE_TYPE' },
    });
    const def = form([
      field('code', 'upper'),
      field('id', 'idcard'),
      field('age', 'integer', { calculate: { idcard_age: { var: 'id' } } }),
      field('limit', 'money', { calculate: { times_standard: 1.5 } }),
    ]);
    const c = compileForm(def, { operations: ops, fieldTypes: types });
    expect(c.validate({ code: 'ab', id: head }, { today: '2030-03-15', standard: 600 }).data).toEqual({
      code: 'AB',
      id: head,
      age: 60,
      limit: 900,
    });
    expect(() => compileForm(def)).toThrow(/NX_ERR_RUNTIME_UNKNOWN_TYPE/);
  });

  it('turns an exception thrown by a plugin operation into an error, and recovers', () => {
    const ops = createOperationRegistry().fork();
    ops.register({
      name: 'explode',
      compile:
        ([a]) =>
        (env) => {
          if (a?.(env) === 'boom') throw new Error('exploded');
          return 1;
        },
    });
    const c = compileForm(
      form([field('x', 'text'), field('y', 'integer', { calculate: { explode: { var: 'x' } } })]),
      {
        operations: ops,
      },
    );
    const r = c.validate({ x: 'boom' }, ctx);
    expect(r).toEqual({
      ok: false,
      data: {},
      errors: [
        expect.objectContaining({
          path: '',
          code: 'NX_ERR_VALUE_RULE_FAILED',
          params: { reason: 'exploded' },
        }),
      ],
    });
    expect(c.validate({ x: 'fine' }, ctx)).toEqual({ ok: true, data: { x: 'fine', y: 1 }, errors: [] });
  });

  it('compiles a calculation cycle without throwing (the loader reports it) and stays deterministic', () => {
    const def = form([
      field('a', 'integer', { calculate: { '+': [{ var: ['b', 0] }, 1] } }),
      field('b', 'integer', { calculate: { '+': [{ var: ['a', 0] }, 1] } }),
    ]);
    const c = compileForm(def);
    const first = c.validate({}, ctx);
    expect(first.data).toEqual({ a: 1, b: 2 });
    expect(c.validate({}, ctx)).toEqual(first);
  });

  it('without ctx.today, judges on today in China', () => {
    const c = compileForm(
      form([field('id', 'idcard'), field('age', 'integer', { calculate: { idcard_age: { var: 'id' } } })]),
    );
    const age = c.validate({ id: head }).data.age as number;
    expect(age).toBeGreaterThanOrEqual(56);
  });
});
