import { describe, expect, it } from 'vitest';
import WORDS from '../../../plugins/web/client/work-words.json' with { type: 'json' };

/** What is wrong with one table of `work-words.json` (code → [zh-CN, en]), one line per bad entry. */
const problems = (tables: Record<string, Record<string, unknown>>): string[] =>
  Object.entries(tables).flatMap(([table, words]) =>
    Object.entries(words)
      .filter(
        ([, w]) =>
          !Array.isArray(w) ||
          w.length !== 2 ||
          !w.every((x) => typeof x === 'string' && x.trim() !== '') ||
          !/\p{Script=Han}/u.test(w[0]),
      )
      .map(([code]) => `${table}.${code}`),
  );

describe('the work pages’ word tables (work-words.json)', () => {
  it('give every code a pair of words, Chinese first, English beside it', () => {
    expect(Object.keys(WORDS).length).toBeGreaterThan(0);
    expect(problems(WORDS)).toEqual([]);
  });

  it('name an entry that is not such a pair', () => {
    const bad = { ...WORDS, severity: { ...WORDS.severity, low: ['低'], high: ['High', '高'] } };
    expect(problems(bad)).toEqual(['severity.high', 'severity.low']);
  });
});
