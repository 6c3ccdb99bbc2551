import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  formatValue,
  renderTemplate,
  templateNames,
} from '../../../plugins/rules/template.ts';

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

  it('compiles once and renders like a plain replacement of each placeholder, with any scope', () => {
    const templates = [
      '',
      '没有占位符 / no placeholder',
      '{{a}}',
      '{{a}}{{b.c}}',
      '前 {{ a }} 中 {{b.c}} 后',
      '{{ missing }} {{b.missing.deeper}} {{a.length}}',
      '{{ not closed',
      '{{a}} {{__proto__.x}} {{b.constructor}}',
    ];
    const scopes = [{ a: 1.005, b: { c: [1, 'x'] } }, { a: 'text', b: null }, {}, null];
    // The oracle: one regular-expression replacement, values looked up by hand.
    const oracle = (t: string, scope: unknown) =>
      t.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g, (_m, path: string) => {
        let cur: unknown = scope;
        for (const seg of path.split('.')) {
          const own = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, seg);
          cur =
            own && !['__proto__', 'prototype', 'constructor'].includes(seg)
              ? (cur as Record<string, unknown>)[seg]
              : undefined;
        }
        return formatValue(cur);
      });
    for (const t of templates) {
      const compiled = compileTemplate(t);
      for (const scope of scopes)
        expect(compiled(scope), `${t} with ${JSON.stringify(scope)}`).toBe(oracle(t, scope));
    }
  });
});
