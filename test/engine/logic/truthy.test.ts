import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { truthy } from '../../../engine/logic/truthy.ts';

describe('truthy', () => {
  it('matches json-logic-js: empty array is false, everything else as JavaScript', () => {
    const values = [0, 1, -1, '', '0', 'a', [], [0], {}, null, undefined, true, false, Number.NaN];
    for (const v of values) expect(truthy(v), JSON.stringify(v)).toBe(jsonLogic.truthy(v));
    expect(truthy([])).toBe(false);
    expect(truthy('0')).toBe(true);
  });
});
