import { describe, expect, it } from 'vitest';
import { findCycles } from '../../../engine/definition/cycles.ts';
import { didYouMean, editDistance } from '../../../engine/definition/suggest.ts';

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('findCycles', () => {
  it('finds none in a graph without cycles (edges to unknown nodes are ignored)', () => {
    expect(findCycles(graph({ a: ['b', 'x'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('names each cycle as a closed path, shortest first-node loop', () => {
    expect(findCycles(graph({ a: ['b'], b: ['c', 'a'], c: ['a'], d: ['d'], e: [] }))).toEqual([
      ['a', 'b', 'a'],
      ['d', 'd'],
    ]);
  });

  it('finds two separate cycles', () => {
    expect(findCycles(graph({ a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c'] }))).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'e', 'c'],
    ]);
  });

  it('handles a long chain without running out of stack', () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 20000; i++) edges[`n${i}`] = [`n${i + 1}`];
    edges.n20000 = ['n0'];
    const cycles = findCycles(graph(edges));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(20002);
  });
});

describe('didYouMean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('lable', 'label')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests a close name and nothing for a distant one', () => {
    expect(didYouMean('helth', ['health', 'name'])).toBe('health');
    expect(didYouMean('IDNUMBER', ['idNumber'])).toBe('idNumber');
    expect(didYouMean('spouse', ['health', 'name'])).toBeUndefined();
  });
});
