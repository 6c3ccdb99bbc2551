import { describe, expect, it } from 'vitest';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import {
  compileFieldPattern,
  hasFieldPatterns,
  isPatternFault,
  MAX_PATTERN_INPUT,
  MAX_PATTERN_LENGTH,
} from '../../../engine/runtime/pattern.ts';
import { field, form } from './form-factory.ts';

const matcher = (source: string) => {
  const p = compileFieldPattern(source);
  if (isPatternFault(p)) throw new Error(`${p.fault}: ${p.detail}`);
  return p;
};

const problemsOf = (pattern: string) => {
  const r = loadForm(form([field('name', 'text', { pattern })]));
  return r.ok ? [] : r.problems.map((p) => [p.code, p.pointer, p.params?.fault]);
};

describe('field patterns run on a linear-time engine', () => {
  it('answers a catastrophic-backtracking pattern on a 49-character value at once', () => {
    const compiled = compileForm(form([field('name', 'text', { pattern: '^(a+)+$' })]));
    const started = performance.now();
    const r = compiled.validate({ name: `${'a'.repeat(48)}b` }, { today: '2026-06-01' });
    const elapsed = performance.now() - started;
    expect(r.errors.map((e) => e.code)).toEqual(['NX_ERR_VALUE_PATTERN']);
    expect(compiled.validate({ name: 'a'.repeat(49) }, { today: '2026-06-01' }).ok).toBe(true);
    // A backtracking engine needs years for this value; linear time needs well under a second.
    expect(elapsed).toBeLessThan(1000);
  });

  it('keeps ECMAScript syntax for what RE2 shares: classes, \\u escapes, scripts, named groups', () => {
    expect(matcher('^\\p{Script=Han}[\\p{Script=Han}·]*$').test('欧阳·娜娜')).toBe(true);
    expect(matcher('^\\p{sc=Han}+$').test('Li')).toBe(false);
    expect(matcher('^[\\u4e00-\\u9fa5]{2,4}$').test('张三')).toBe(true);
    expect(matcher('^(?<area>\\d{3,4})-\\d{7,8}$').test('028-12345678')).toBe(true);
    expect(matcher('^1[3-9]\\d{9}$').test('13812345678')).toBe(true);
    expect(matcher('a/b').test('xa/by')).toBe(true);
    // Unanchored, like RegExp#test.
    expect(matcher('\\d{6}').test('编号 510104 号')).toBe(true);
  });

  it.each([
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'named backreference'],
    ['a(?=b)', 'lookahead'],
    ['a(?!b)', 'negative lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'negative lookbehind'],
  ])('refuses %s (%s) when the form is loaded, with its pointer', (pattern, what) => {
    expect(problemsOf(pattern)).toEqual([
      ['NX_ERR_DEF_REGEX_UNSUPPORTED', '/sections/0/fields/0/pattern', 'unsupported'],
    ]);
    const fault = compileFieldPattern(pattern);
    expect(isPatternFault(fault) && fault.detail).toContain(what);
  });

  it('does not mistake escaped or bracketed characters for backtracking syntax', () => {
    expect(problemsOf('^[(?=]\\\\1$')).toEqual([]);
    expect(matcher('^[(?=]\\\\1$').test('=\\1')).toBe(true);
  });

  it('refuses syntax errors, overlong and oversized patterns with distinct codes', () => {
    expect(problemsOf('^[a-z')).toEqual([['NX_ERR_DEF_BAD_REGEX', '/sections/0/fields/0/pattern', 'syntax']]);
    expect(problemsOf('a'.repeat(MAX_PATTERN_LENGTH + 1))).toEqual([
      ['NX_ERR_DEF_REGEX_TOO_COMPLEX', '/sections/0/fields/0/pattern', 'too-long'],
    ]);
    expect(problemsOf('[\\p{Han}]{1000}[\\p{Han}]{1000}[\\p{Han}]{1000}')).toEqual([
      ['NX_ERR_DEF_REGEX_TOO_COMPLEX', '/sections/0/fields/0/pattern', 'too-complex'],
    ]);
  });

  it('refuses a value too long to match instead of matching it', () => {
    const compiled = compileForm(form([field('note', 'textarea', { pattern: '^[a-z]*$' })]));
    const r = compiled.validate({ note: 'a'.repeat(MAX_PATTERN_INPUT + 1) }, { today: '2026-06-01' });
    expect(r.errors.map((e) => [e.path, e.code, e.params])).toEqual([
      ['/note', 'NX_ERR_VALUE_MAX_LENGTH', { maxLength: MAX_PATTERN_INPUT }],
    ]);
    expect(compiled.validate({ note: 'a'.repeat(MAX_PATTERN_INPUT) }, { today: '2026-06-01' }).ok).toBe(true);
  });

  it('throws a coded error when compiling a form whose pattern the loader would refuse', () => {
    expect(() => compileForm(form([field('name', 'text', { pattern: '(a)\\1' })]))).toThrow(
      expect.objectContaining({ code: 'NX_ERR_DEF_BAD_REGEX' }),
    );
  });
});

describe('hasFieldPatterns: whether a page must load the pattern engine before compiling a form', () => {
  it('finds a pattern on a field, a table column or a field in a group', () => {
    expect(hasFieldPatterns(form([field('name', 'text', { pattern: '^a$' })]))).toBe(true);
    const column = field('members', 'table', { columns: [field('code', 'text', { pattern: '^\\d+$' })] });
    expect(hasFieldPatterns(form([column]))).toBe(true);
    const group = field('g', 'group', { fields: [field('note', 'textarea', { pattern: 'x' })] });
    expect(hasFieldPatterns(form([group]))).toBe(true);
  });

  it('says no for a form without patterns, whatever else is called pattern', () => {
    expect(hasFieldPatterns(form([field('name', 'text'), field('age', 'integer')]))).toBe(false);
    // A `pattern` that is not a field's (no type beside it), or not a string, does not count.
    expect(hasFieldPatterns(form([field('name', 'text')], { description: { pattern: '^a$' } }))).toBe(false);
    expect(hasFieldPatterns(form([field('name', 'text', { pattern: 7 })]))).toBe(false);
  });
});
