import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  parseRange,
  parseVersion,
  satisfies,
} from '../../../engine/plugin/version-range.ts';

describe('version ranges', () => {
  it.each([
    ['0.1.0', '^0.1.0', true],
    ['0.1.9', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['0.0.9', '^0.1.0', false],
    ['1.9.9', '^1.2.3', true],
    ['1.2.2', '^1.2.3', false],
    ['2.0.0', '^1.2.3', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.2.2', '~1.2.3', false],
    ['5.0.0', '>=1.2.3', true],
    ['1.2.2', '>=1.2.3', false],
    ['1.2.3', '>1.2.3', false],
    ['1.2.3', '<=1.2.3', true],
    ['1.2.3', '<1.2.3', false],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '1.2.3', false],
    ['1.2.3', '=1.2.3', true],
    ['9.9.9', '*', true],
    ['0.1.5', '>=0.1.0 <0.2.0', true],
    ['0.2.0', '>=0.1.0 <0.2.0', false],
    ['0.2.0', '>= 0.1.0 < 0.3.0', true],
    ['2.1.0', '^1.0.0 || ^2.0.0', true],
    ['3.0.0', '^1.0.0 || ^2.0.0', false],
  ])('%s satisfies %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('rejects ranges it does not understand instead of accepting everything', () => {
    expect(parseRange('latest')).toBeNull();
    expect(parseRange('^1.2')).toBeNull();
    expect(satisfies('1.2.0', '^1.2')).toBe(false);
  });

  it('does not match an unparsable version', () => {
    expect(parseVersion('1.2')).toBeNull();
    expect(satisfies('1.2', '*')).toBe(false);
  });

  it('orders versions numerically, not as text', () => {
    expect(compareVersions(parseVersion('0.10.0')!, parseVersion('0.9.0')!)).toBeGreaterThan(0);
  });
});
