import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../engine/definition/json-limits.ts';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { MAX_REFERENCE_PROBLEMS } from '../../../engine/definition/rule-problems.ts';
import { fieldAt, type Json, validForm } from './form-factory.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('loader work on a hostile definition is bounded', () => {
  it('reports a bounded number of unknown names for a rule listing 10,000 of them, quickly', () => {
    const f = validForm() as Json;
    fieldAt(f, 0, 0).visibleIf = { missing: [range(10_000).map((i) => `nobody${i}`)] };
    const t = performance.now();
    const r = loadForm(f);
    const ms = performance.now() - t;
    expect(r.ok).toBe(false);
    const unknown = r.problems.filter((p) => p.code === 'NX_ERR_DEF_UNKNOWN_FIELD');
    expect(unknown).toHaveLength(MAX_REFERENCE_PROBLEMS);
    expect(unknown[0]?.pointer).toBe('/sections/0/fields/0/visibleIf');
    // Locating 10,000 names one walk each took minutes; a bounded number takes milliseconds.
    expect(ms).toBeLessThan(2000);
  });

  it('refuses a definition nested past the depth limit with a pointer, without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = { a: deep };
    const f = validForm() as Json;
    fieldAt(f, 0, 0).visibleIf = deep;
    const r = loadForm(f);
    expect(r.problems.map((p) => p.code)).toEqual(['NX_ERR_DEF_TOO_DEEP']);
    expect(r.problems[0]?.params).toEqual({ limit: MAX_JSON_DEPTH });
    expect(r.problems[0]?.pointer).toMatch(/^\/sections\/0\/fields\/0\/visibleIf(\/a)+$/);
  });
});
