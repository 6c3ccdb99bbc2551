import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRuleset } from '../../../plugins/rules/compile-ruleset.ts';
import { loadRulesetFile } from '../../../plugins/rules/load-ruleset.ts';
import { type RuleCases, runCases } from '../../../plugins/rules/run-cases.ts';
import { demoRecords } from './fixtures.ts';

const file = (name: string) => new URL(`../../../plugins/rules/rulesets/${name}`, import.meta.url).pathname;

function tekunSupport() {
  const r = loadRulesetFile(file('tekun-support.json'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return compileRuleset(r.value);
}

describe('tekun-support.cases.json', () => {
  const doc = JSON.parse(readFileSync(file('tekun-support.cases.json'), 'utf8')) as RuleCases;
  const compiled = tekunSupport();

  it('all pass', () => {
    const results = runCases(compiled, doc, demoRecords());
    expect(results).toHaveLength(doc.cases.length);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('a wrong expectation is reported as a mismatch', () => {
    const [first] = doc.cases;
    if (!first) throw new Error('no cases');
    const broken: RuleCases = { ...doc, cases: [{ ...first, expect: { supportAmount: 1 } }] };
    expect(runCases(compiled, broken, demoRecords()).map((r) => r.ok)).toEqual([false]);
  });

  it('every demo 特困 standard is at least 1.3× the 低保 standard of the same series and date', () => {
    const records = demoRecords();
    const tekun = records.filter((r) => r.name === 'tekun_standard');
    expect(tekun.length).toBeGreaterThan(0);
    for (const t of tekun) {
      const dibao = records.find(
        (r) =>
          r.name === 'dibao_standard' &&
          r.orgCode === t.orgCode &&
          r.area === t.area &&
          r.validFrom === t.validFrom,
      );
      expect(dibao, `${t.orgCode}/${t.area}/${t.validFrom}`).toBeDefined();
      expect(Number(t.value)).toBeGreaterThanOrEqual(Math.round(Number(dibao?.value) * 1.3));
    }
  });
});
