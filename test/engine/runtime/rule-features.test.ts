import { describe, expect, it } from 'vitest';
import { createOperationRegistry } from '../../../engine/logic/registry.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import { createFieldTypeRegistry } from '../../../engine/runtime/field-types/registry.ts';
import type { ValidationError } from '../../../engine/runtime/types.ts';
import { makeIdcard } from '../logic/idcard-factory.ts';
import { field, form, L, opt } from './form-factory.ts';

const ctx = { today: '2026-06-01' };
const codes = (errors: ValidationError[]) => errors.map((e) => `${e.path} ${e.code}`);
const head = makeIdcard('510104', '19700315', '011');

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
