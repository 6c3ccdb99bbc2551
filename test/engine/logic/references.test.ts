import { describe, expect, it } from 'vitest';
import { collectVars } from '../../../engine/logic/references.ts';
import { createOperationRegistry } from '../../../engine/logic/registry.ts';

describe('collectVars', () => {
  it('lists top-scope var paths in order, once each, with row. and ctx. paths', () => {
    const rule = {
      if: [
        { '>': [{ var: 'income' }, { var: ['ctx.standard', 0] }] },
        { var: 'row.age' },
        { '+': [{ var: 'income' }, { var: 'assets.cash' }, { var: 3 }] },
      ],
    };
    expect(collectVars(rule)).toEqual(['income', 'ctx.standard', 'row.age', 'assets.cash', '3']);
  });

  it('leaves out paths that read an item of map/filter/reduce/all/none/some/count', () => {
    const rule = {
      and: [
        { map: [{ var: 'members' }, { var: 'age' }] },
        { filter: [{ var: 'houses' }, { '>': [{ var: 'area' }, { var: 'ctx.limit' }] }] },
        {
          reduce: [
            { var: 'vehicles' },
            { '+': [{ var: 'current' }, { var: 'accumulator' }] },
            { var: 'start' },
          ],
        },
        { all: [{ var: 'a' }, { var: 'x' }] },
        { none: [{ var: 'b' }, { var: 'y' }] },
        { some: [{ var: 'c' }, { var: 'row.z' }] },
        { count: [{ var: 'members' }, { '==': [{ var: 'relation' }, 'spouse'] }] },
      ],
    };
    expect(collectVars(rule)).toEqual([
      'members',
      'houses',
      'ctx.limit',
      'vehicles',
      'start',
      'a',
      'b',
      'c',
      'row.z',
    ]);
  });

  it('reports missing / missing_some keys and the inputs of a computed path, not the whole-data var', () => {
    expect(collectVars({ missing: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(collectVars({ missing_some: [1, ['c', 'd']] })).toEqual(['c', 'd']);
    expect(collectVars({ var: { cat: ['x', { var: 'k' }] } })).toEqual(['k']);
    expect(collectVars({ var: '' })).toEqual([]);
    expect(collectVars('plain')).toEqual([]);
  });

  it('honours scopedArgs of operations a plugin registers', () => {
    const reg = createOperationRegistry().fork();
    reg.register({ name: 'any_row', scopedArgs: [1], compile: () => () => false });
    const rule = { any_row: [{ var: 'members' }, { var: 'age' }] };
    expect(collectVars(rule, reg)).toEqual(['members']);
    expect(collectVars(rule)).toEqual(['members', 'age']);
  });
});
