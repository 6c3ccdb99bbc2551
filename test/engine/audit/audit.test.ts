import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../engine/audit/audit.ts';

describe('diffSnapshots', () => {
  it('keeps only changed keys, one level into nested objects', () => {
    expect(
      diffSnapshots(
        { status: 'draft', version: 1, data: { a: 1, b: [1, 2], c: 'same' } },
        { status: 'submitted', version: 2, data: { a: 1, b: [1, 3], c: 'same', d: true } },
      ),
    ).toEqual({
      before: { status: 'draft', version: 1, data: { b: [1, 2] } },
      after: { status: 'submitted', version: 2, data: { b: [1, 3], d: true } },
    });
  });

  it('records a creation or deletion as a whole side', () => {
    expect(diffSnapshots(null, { a: 1 })).toEqual({ before: null, after: { a: 1 } });
    expect(diffSnapshots({ a: 1 }, undefined)).toEqual({ before: { a: 1 }, after: null });
  });
});
