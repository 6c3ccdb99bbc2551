import { describe, expect, it } from 'vitest';
import { formatValue, renderTemplate, templateNames } from '../../../plugins/rules/template.ts';

describe('reason templates', () => {
  it('fills placeholders with formatted values', () => {
    expect(renderTemplate('人均 {{ a }} 元 ≤ {{b.c}} 元', { a: 523.3333, b: { c: 650 } })).toBe(
      '人均 523.33 元 ≤ 650 元',
    );
    expect(templateNames('{{a}} {{ b.c }}')).toEqual(['a', 'b.c']);
  });

  it('is text only: no HTML escaping games, no helpers, no prototype reads', () => {
    expect(renderTemplate('{{name}}', { name: '<b>x</b>' })).toBe('<b>x</b>');
    expect(renderTemplate('{{#each a}}x{{/each}}', { a: [1] })).toBe('{{#each a}}x{{/each}}');
    expect(renderTemplate('{{a.constructor}}|{{toString}}|{{__proto__}}', { a: {} })).toBe('—|—|—');
  });

  it('formats lists, booleans and missing values for a reader', () => {
    expect(formatValue(['dibao', 'temporary'])).toBe('dibao、temporary');
    expect(formatValue(null)).toBe('—');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatValue(true)).toBe('是/yes');
  });
});
