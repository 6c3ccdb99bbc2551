import { describe, expect, it } from 'vitest';
import { NxError } from '../../../engine/errors/nx-error.ts';
import {
  createLogicBudget,
  LOGIC_MAX_ARRAY,
  LOGIC_MAX_DEPTH,
  LOGIC_MAX_STEPS,
  LOGIC_MAX_STRING,
  withLogicBudget,
} from '../../../engine/logic/budget.ts';
import { compileLogic } from '../../../engine/logic/compile.ts';

/** The error a call throws (or undefined), so a test can check its code and pointer. */
function thrown(f: () => unknown): NxError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof NxError) return e;
    throw e;
  }
  return undefined;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Milliseconds a call takes; the bounds below are generous (no hang, not a benchmark). */
function elapsed(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

const BOUND_MS = 2000;

describe('JSON Logic evaluation budget', () => {
  it('refuses nested all/map/reduce over large arrays with a stable code, quickly', () => {
    const data = { xs: range(2000) };
    const rules = [
      { all: [{ var: 'xs' }, { all: [{ var: 'ctx.xs' }, { '>=': [{ var: '' }, 0] }] }] },
      { map: [{ var: 'xs' }, { map: [{ var: 'ctx.xs' }, { '+': [{ var: '' }, 1] }] }] },
      {
        reduce: [
          { var: 'xs' },
          {
            '+': [
              { var: 'accumulator' },
              { reduce: [{ var: 'ctx.xs' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
            ],
          },
          0,
        ],
      },
      { some: [{ var: 'xs' }, { some: [{ var: 'ctx.xs' }, { '==': [{ var: '' }, -1] }] }] },
      { count: [{ var: 'xs' }, { count: [{ var: 'ctx.xs' }, { '>': [{ var: '' }, 0] }] }] },
      { filter: [{ var: 'xs' }, { none: [{ var: 'ctx.xs' }, { '<': [{ var: '' }, 0] }] }] },
    ];
    for (const rule of rules) {
      const ev = compileLogic(rule);
      let err: NxError | undefined;
      const ms = elapsed(() => {
        err = thrown(() => ev({ data, ctx: { xs: data.xs } }));
      });
      expect(err?.code, JSON.stringify(rule)).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
      expect(err?.errors?.[0]?.params).toEqual({ maxSteps: LOGIC_MAX_STEPS });
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });

  it('charges `in` by the length it searches: one search of 150,000 items passes, one per item of a loop does not', () => {
    const big = range(150_000);
    expect(compileLogic({ in: [149_999, { var: 'big' }] })({ data: { big } })).toBe(true);
    const looped = compileLogic({ map: [{ var: 'xs' }, { in: [{ var: '' }, { var: 'ctx.big' }] }] });
    let err: NxError | undefined;
    const ms = elapsed(() => {
      err = thrown(() => looped({ data: { xs: range(1000) }, ctx: { big } }));
    });
    expect(err?.code).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('refuses a string doubled by cat before it grows past the limit', () => {
    const doubling = compileLogic({
      reduce: [{ var: 'xs' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'],
    });
    let err: NxError | undefined;
    const ms = elapsed(() => {
      err = thrown(() => doubling({ data: { xs: range(27) } }));
    });
    expect(err?.code).toBe('NX_ERR_LOGIC_RESULT_TOO_LARGE');
    expect(err?.errors?.[0]?.params).toMatchObject({ kind: 'string', max: LOGIC_MAX_STRING });
    expect(ms).toBeLessThan(BOUND_MS);
    // Ten doublings (2 KB) are ordinary work.
    expect(String(doubling({ data: { xs: range(10) } })).length).toBe(2048);
  });

  it('refuses an array doubled by merge', () => {
    const doubling = compileLogic({
      reduce: [{ var: 'xs' }, { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]],
    });
    const err = thrown(() => doubling({ data: { xs: range(40) } }));
    expect(err?.code).toBe('NX_ERR_LOGIC_RESULT_TOO_LARGE');
    expect(err?.errors?.[0]?.params).toMatchObject({ kind: 'array', max: LOGIC_MAX_ARRAY });
  });

  it('refuses a constant too costly to compute when the rule is compiled, pointing at it', () => {
    let doubled: unknown = 'abcdefgh';
    for (let i = 0; i < 20; i++) doubled = { cat: [doubled, doubled] };
    const err = thrown(() => compileLogic({ if: [{ var: 'a' }, doubled, 0] }));
    expect(err?.code).toBe('NX_ERR_LOGIC_RESULT_TOO_LARGE');
    expect(err?.errors?.[0]?.path).toMatch(/^\/if\/1(\/cat\/0)+\/cat$/);
  });

  it('refuses a rule nested deeper than the limit with a pointer, instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { '!': [deep] };
    const err = thrown(() => compileLogic(deep));
    expect(err?.code).toBe('NX_ERR_LOGIC_TOO_DEEP');
    expect(err?.errors?.[0]?.path.split('/').length).toBeGreaterThan(LOGIC_MAX_DEPTH / 2);
    let fine: unknown = 1;
    for (let i = 0; i < 20; i++) fine = { '!': [fine] };
    expect(compileLogic(fine)({ data: null })).toBe(true);
  });

  it('gives each top-level evaluation a fresh budget, and one budget to a withLogicBudget run', () => {
    const rule = compileLogic({ map: [{ var: 'xs' }, { '+': [{ var: '' }, 1] }] });
    const data = { xs: range(200_000) }; // 200,000 × 4 steps: within one budget, not within two
    expect(thrown(() => rule({ data }))).toBeUndefined();
    expect(thrown(() => rule({ data }))).toBeUndefined();
    const err = thrown(() =>
      withLogicBudget(() => {
        rule({ data });
        rule({ data });
      }),
    );
    expect(err?.code).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
    // The run's failure leaves no trace: the next evaluation starts afresh.
    expect(thrown(() => rule({ data }))).toBeUndefined();
  });

  it('carries a request budget over many runs, and still stops one run at one evaluation’s limit', () => {
    const rule = compileLogic({ map: [{ var: 'xs' }, { '+': [{ var: '' }, 1] }] });
    const small = { xs: range(1000) };
    const budget = createLogicBudget(50_000);
    // Each run is cheap; the request is not: it fails on the run that crosses 50,000 steps.
    let runs = 0;
    const err = thrown(() => {
      for (; runs < 100; runs++) withLogicBudget(() => rule({ data: small }), budget);
    });
    expect(err?.code).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
    expect(err?.errors?.[0]?.params).toEqual({ maxSteps: 50_000, scope: 'request' });
    expect(runs).toBeGreaterThan(5);
    expect(runs).toBeLessThan(100);
    // Many evaluations of a rule with no loop cost a step each: a million of them add up too.
    const plain = compileLogic({ '==': [{ var: 'a' }, 1] });
    const tiny = createLogicBudget(10);
    expect(
      thrown(() => {
        for (let i = 0; i < 20; i++) withLogicBudget(() => plain({ data: { a: 1 } }), tiny);
      })?.code,
    ).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
    // A huge request budget does not lift one run above one evaluation's limit.
    const big = createLogicBudget(100 * LOGIC_MAX_STEPS);
    const one = thrown(() => withLogicBudget(() => rule({ data: { xs: range(400_000) } }), big));
    expect(one?.code).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
    expect(one?.errors?.[0]?.params).toEqual({ maxSteps: LOGIC_MAX_STEPS });
  });

  it('leaves ordinary casework rules untouched', () => {
    const members = range(30).map((i) => ({ income: i * 100.1, relation: i % 2 ? 'child' : 'spouse' }));
    const rule = compileLogic({
      and: [
        { '<': [{ sum: [{ var: 'members' }, 'income'] }, 1e9] },
        { some: [{ var: 'members' }, { '==': [{ var: 'relation' }, 'spouse'] }] },
        { in: ['child', { map: [{ var: 'members' }, { var: 'relation' }] }] },
        { '>': [{ count: [{ var: 'members' }, { '==': [{ var: 'relation' }, 'child'] }] }, 3] },
      ],
    });
    for (let i = 0; i < 1000; i++) expect(rule({ data: { members } })).toBe(true);
  });
});
