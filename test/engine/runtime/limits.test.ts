import { describe, expect, it } from 'vitest';
import { compileForm, MAX_ERRORS } from '../../../engine/runtime/compile-form.ts';
import { DEFAULT_MAX_ROWS } from '../../../engine/runtime/plan.ts';
import { field, form } from './form-factory.ts';

const ctx = { today: '2026-06-01' };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('validation work per submission is bounded', () => {
  it('stops at a table over its row limit: one error, no row checked', () => {
    const compiled = compileForm(
      form([
        field('members', 'table', { maxRows: 5, columns: [field('age', 'integer', { required: true })] }),
      ]),
    );
    const r = compiled.validate({ members: range(6).map(() => ({ age: 'x' })) }, ctx);
    expect(r.errors.map((e) => [e.path, e.code, e.params])).toEqual([
      ['/members', 'NX_ERR_VALUE_MAX_ROWS', { maxRows: 5 }],
    ]);
    expect(compiled.validate({ members: range(5).map(() => ({ age: 1 })) }, ctx).ok).toBe(true);
  });

  it('gives a table without maxRows a default limit', () => {
    const compiled = compileForm(form([field('rows', 'table', { columns: [field('n', 'integer')] })]));
    const r = compiled.validate({ rows: range(DEFAULT_MAX_ROWS + 1).map((n) => ({ n })) }, ctx);
    expect(r.errors.map((e) => [e.code, e.params])).toEqual([
      ['NX_ERR_VALUE_MAX_ROWS', { maxRows: DEFAULT_MAX_ROWS }],
    ]);
    expect(compiled.validate({ rows: range(DEFAULT_MAX_ROWS).map((n) => ({ n })) }, ctx).ok).toBe(true);
  });

  it('returns at most MAX_ERRORS errors, the last one counting the rest', () => {
    const compiled = compileForm(
      form([
        field('rows', 'table', { maxRows: 1000, columns: [field('a', 'integer'), field('b', 'integer')] }),
      ]),
    );
    const r = compiled.validate({ rows: range(300).map(() => ({ a: 'x', b: 'y' })) }, ctx);
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(MAX_ERRORS + 1);
    expect(r.errors[0]).toMatchObject({ path: '/rows/0/a', code: 'NX_ERR_VALUE_TYPE' });
    expect(r.errors.at(-1)).toMatchObject({
      path: '',
      code: 'NX_ERR_VALUE_TOO_MANY_ERRORS',
      params: { shown: MAX_ERRORS, omitted: 600 - MAX_ERRORS },
    });
    expect(r.errors.at(-1)?.message.en).toContain(`${600 - MAX_ERRORS} more`);
  });

  it('answers a hostile calculation with the budget code instead of running it', () => {
    const compiled = compileForm(
      form([
        field('xs', 'multiselect', {
          options: range(3).map((v) => ({ value: `v${v}`, label: { 'zh-CN': `${v}`, en: `${v}` } })),
        }),
        field('n', 'integer', {
          calculate: {
            reduce: [
              { var: 'xs' },
              { cat: [{ var: 'accumulator' }, { var: 'accumulator' }, { var: 'accumulator' }] },
              { cat: ['x', { map: [{ var: 'xs' }, { var: '' }] }] },
            ],
          },
        }),
        field('m', 'integer', {
          calculate: { count: [{ merge: [range(2000)] }, { in: [{ var: '' }, range(2000)] }] },
        }),
      ]),
    );
    const r = compiled.validate({ xs: ['v0', 'v1', 'v2'] }, ctx);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.path, e.code])).toEqual([['', 'NX_ERR_LOGIC_BUDGET_EXCEEDED']]);
  });

  it('shares one budget between the rules of one validation', () => {
    // Each calculation alone is within budget; 30 of them over the same 20,000 items are not.
    const heavy = { count: [{ var: 'ctx.big' }, { '>': [{ var: '' }, -1] }] };
    const big = range(20_000);
    const one = compileForm(form([field('c', 'integer', { calculate: heavy })]));
    expect(one.validate({}, { ...ctx, big })).toMatchObject({ ok: true, data: { c: 20_000 } });
    const thirty = compileForm(form(range(30).map((i) => field(`c${i}`, 'integer', { calculate: heavy }))));
    const r = thirty.validate({}, { ...ctx, big });
    expect(r.errors.map((e) => e.code)).toEqual(['NX_ERR_LOGIC_BUDGET_EXCEEDED']);
  });
});
