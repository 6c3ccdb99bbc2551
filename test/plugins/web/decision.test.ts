import { afterEach, describe, expect, it, vi } from 'vitest';
import { valueText } from '../../../plugins/web/client/decision.ts';

/** The decision's values with their units, in the page language (rulesets declare units in Chinese). */
describe('decision values in words', () => {
  const inLanguage = (l: 'zh-CN' | 'en') =>
    vi.stubGlobal('localStorage', { getItem: () => (l === 'en' ? 'en' : null) });
  afterEach(() => vi.unstubAllGlobals());

  it('says the declared unit in Chinese on the Chinese page', () => {
    inLanguage('zh-CN');
    expect(valueText(139.44, '元/月')).toBe('139.44 元/月');
    expect(valueText(650, '元/人/月')).toBe('650 元/人/月');
  });

  it('says it in English on the English page, and leaves an unknown unit as declared', () => {
    inLanguage('en');
    expect(valueText(139.44, '元/月')).toBe('139.44 yuan a month');
    expect(valueText(650, '元/人/月')).toBe('650 yuan per person a month');
    expect(valueText(3, '人')).toBe('3 persons');
    expect(valueText(2, '亩')).toBe('2 亩');
    expect(valueText(true, null)).toBe('✓ yes');
  });
});
