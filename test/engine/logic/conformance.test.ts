import jsonLogic from 'json-logic-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileLogic } from '../../../engine/logic/compile.ts';

/**
 * The compiled closures must give exactly what json-logic-js 2.0.5 `apply` gives, for every
 * standard operation over a table of expressions built combinatorially from awkward operands
 * (loose equality, numeric strings, null, empty arrays, missing vars …), plus random nested trees.
 */

const DATA = {
  a: 1,
  b: '2',
  c: 0,
  s: 'hello',
  z: null,
  t: true,
  f: false,
  neg: -4.5,
  str0: '0',
  arr: [1, 2, 3],
  e: [],
  words: ['a', 'b'],
  obj: { x: { y: 5 }, list: [10, 20] },
  items: [
    { n: 1, k: 'a' },
    { n: 2, k: 'b' },
    { n: 3, k: 'a' },
  ],
};

const ATOMS: unknown[] = [
  0,
  1,
  -1,
  2.5,
  '',
  '0',
  '1',
  '2',
  'abc',
  'ell',
  true,
  false,
  null,
  [],
  [1, 2],
  ['a', 'b'],
  { var: 'a' },
  { var: 'b' },
  { var: 'z' },
  { var: 'nothing' },
  { var: ['nothing', 7] },
  { var: ['z', 7] },
  { var: 'obj.x.y' },
  { var: 'obj.list.1' },
  { var: 'arr.2' },
  { var: 'arr' },
  { var: 's' },
  { var: 's.length' },
  { var: 'neg' },
  { var: 'str0' },
  { var: 'e' },
];

const BINARY = [
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '%',
  '/',
  '-',
  '+',
  '*',
  'in',
  'cat',
  'min',
  'max',
  'merge',
  'and',
  'or',
];
const UNARY = [
  '!',
  '!!',
  '-',
  '+',
  '*',
  'log',
  'var',
  'cat',
  'min',
  'max',
  'merge',
  'and',
  'or',
  'if',
  'missing',
];

type Outcome = { value: unknown } | { threw: true };

function run(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch {
    return { threw: true };
  }
}

function compare(rule: unknown, data: unknown = DATA): void {
  const expected = run(() => jsonLogic.apply(rule as jsonLogic.RulesLogic, data));
  const ev = compileLogic(rule);
  const first = run(() => ev({ data }));
  const second = run(() => ev({ data }));
  expect(first, JSON.stringify(rule)).toEqual(expected);
  expect(second, `${JSON.stringify(rule)} (second run)`).toEqual(expected);
}

/** A small deterministic generator, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('compileLogic conforms to json-logic-js 2.0.5', () => {
  // json-logic-js's `log` prints; ours does not. Keep the test output clean.
  beforeAll(() => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('binary operations over every pair of operands', () => {
    let n = 0;
    for (const op of BINARY) {
      for (const x of ATOMS) {
        for (const y of ATOMS) {
          compare({ [op]: [x, y] });
          n++;
        }
      }
    }
    expect(n).toBe(BINARY.length * ATOMS.length * ATOMS.length);
  });

  it('unary operations, in array and in bare form', () => {
    for (const op of UNARY) {
      for (const x of ATOMS) {
        compare({ [op]: [x] });
        if (!Array.isArray(x)) compare({ [op]: x });
      }
      compare({ [op]: [] });
    }
  });

  it('three-argument forms: between, if chains, substr, variadic arithmetic', () => {
    const nums: unknown[] = [0, 1, 2, 3, '2', { var: 'a' }, { var: 'b' }, null, { var: 'neg' }];
    for (const x of nums) {
      for (const y of nums) {
        for (const z of nums) {
          compare({ '<': [x, y, z] });
          compare({ '<=': [x, y, z] });
          compare({ '+': [x, y, z] });
          compare({ '*': [x, y, z] });
          compare({ substr: ['Nuanxin', x, y] });
          compare({ if: [x, y, z] });
          compare({ '?:': [x, y, z] });
        }
      }
    }
    compare({ if: [false, 1, { var: 'c' }, 2, { var: 't' }, 3, 4] });
    compare({ if: [false, 1, false, 2] });
    compare({ if: [] });
    compare({ substr: ['hello', -3] });
    compare({ substr: ['hello', 1, -1] });
    compare({ substr: ['hello', -4, -2] });
  });

  it('var: defaults, dotted paths, numeric indices, whole data, computed paths', () => {
    const rules: unknown[] = [
      { var: '' },
      { var: null },
      { var: [] },
      { var: [''] },
      { var: ['obj.x'] },
      { var: 'obj.x.y.z' },
      { var: 'obj.nothing.deeper' },
      { var: 1 },
      { var: ['items.1.k', 'dflt'] },
      { var: ['z', 'dflt'] },
      { var: ['nothing', { var: 'a' }] },
      { var: { cat: ['obj.', 'x'] } },
      { var: { if: [{ var: 't' }, 'a', 'b'] } },
      { var: [{ cat: ['it', 'ems.0.n'] }, 9] },
    ];
    for (const r of rules) compare(r);
    compare({ var: 1 }, ['x', 'y']);
    compare({ var: '0.1' }, [[1, 2]]);
    compare({ var: 'length' }, 'text');
  });

  it('missing and missing_some', () => {
    const rules: unknown[] = [
      { missing: ['a', 'nothing', 'z', 's', 'obj.x.y', 'obj.q'] },
      { missing: [['a', 'nothing']] },
      { missing: { merge: [['a'], ['nope', 'b']] } },
      { missing: 'nothing' },
      { missing_some: [1, ['a', 'nothing']] },
      { missing_some: [2, ['a', 'nothing']] },
      { missing_some: [0, ['x1', 'x2']] },
      { if: [{ missing: ['a'] }, 'absent', 'present'] },
    ];
    for (const r of rules) compare(r);
    compare({ missing: ['x', 'y'] }, { x: '', y: 0 });
  });

  it('map, filter, reduce, all, none, some with item scope', () => {
    const sources: unknown[] = [
      { var: 'arr' },
      { var: 'items' },
      { var: 'e' },
      { var: 'nothing' },
      { var: 'a' },
      [1, 'x', null],
    ];
    const inner: unknown[] = [
      { var: '' },
      { '>': [{ var: '' }, 1] },
      { var: 'n' },
      { '==': [{ var: 'k' }, 'a'] },
      { '*': [{ var: '' }, 2] },
      { var: 'a' },
    ];
    for (const src of sources) {
      for (const fn of inner) {
        for (const op of ['map', 'filter', 'all', 'none', 'some']) compare({ [op]: [src, fn] });
        compare({ reduce: [src, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] });
        compare({ reduce: [src, { '+': [{ var: 'current.n' }, { var: 'accumulator' }] }, { var: 'a' }] });
        compare({ reduce: [src, { cat: [{ var: 'accumulator' }, { var: 'current' }] }] });
      }
    }
    compare({ map: [{ var: 'items' }, { map: [{ merge: [{ var: 'n' }, 5] }, { '+': [{ var: '' }, 1] }] }] });
    compare({ filter: [{ var: 'items' }, { in: [{ var: 'k' }, ['b']] }] });
  });

  it('random nested trees', () => {
    const next = rng(20210425);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const tree = (depth: number): unknown => {
      if (depth === 0 || next() < 0.3) return pick(ATOMS);
      const op = pick([...BINARY, '!', 'if', 'substr']);
      if (op === '!') return { '!': [tree(depth - 1)] };
      if (op === 'if') return { if: [tree(depth - 1), tree(depth - 1), tree(depth - 1)] };
      if (op === 'substr') return { substr: [tree(depth - 1), pick([0, 1, -2]), pick([1, 3, -1])] };
      return { [op]: [tree(depth - 1), tree(depth - 1)] };
    };
    for (let i = 0; i < 3000; i++) compare(tree(3));
  });
});
