import { describe, expect, it } from 'vitest';
import { pointerOffset } from '../../../plugins/web/client/json-pointer-offset.ts';

describe('pointerOffset', () => {
  const s = JSON.stringify({ a: [1, { b: 'x"y', c: 2 }], 'd/e': 3 }, null, 2);
  it('finds a member by its key and an array item by its value', () => {
    expect(s.slice(pointerOffset(s, '/a/1/c'))).toMatch(/^"c"/);
    expect(s.slice(pointerOffset(s, '/a/0'))).toMatch(/^1/);
    expect(s.slice(pointerOffset(s, '/d~1e'))).toMatch(/^"d\/e"/);
  });
  it('falls back to the nearest part that exists, and the root', () => {
    expect(s.slice(pointerOffset(s, '/a/1/zz'))).toMatch(/^\{/);
    expect(pointerOffset(s, '')).toBe(0);
    expect(pointerOffset('{"a":', '/a/b')).toBeGreaterThanOrEqual(0);
  });
});
