import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lookupOf } from '../../../plugins/rules/parameters.ts';
import { type RuleCases, runCases } from '../../../plugins/rules/run-cases.ts';
import { defaultCategory, proposeParameters } from '../../../plugins/rules/what-if.ts';
import { demoRecords, eligibility } from './fixtures.ts';

const CASES = new URL('../../../plugins/rules/rulesets/household-eligibility.cases.json', import.meta.url)
  .pathname;
const doc = JSON.parse(readFileSync(CASES, 'utf8')) as RuleCases;
const compiled = eligibility();

describe('household-eligibility.cases.json', () => {
  it('all pass', () => {
    expect(runCases(compiled, doc, demoRecords()).filter((r) => !r.ok)).toEqual([]);
  });

  it('covers every outcome, and every rule both passing and failing', () => {
    const categories = new Set<string>();
    const seen = new Set<string>();
    for (const c of doc.cases) {
      const records = c.parameters ? proposeParameters(demoRecords(), c.parameters) : demoRecords();
      const d = compiled.evaluate(c.data, {
        orgCode: c.orgCode ?? doc.defaults.orgCode,
        asOf: c.asOf ?? doc.defaults.asOf,
        parameters: lookupOf(records),
      });
      categories.add(defaultCategory(d.outputs));
      for (const e of d.explanation) seen.add(`${e.id}:${e.passed}`);
    }
    expect([...categories].sort()).toEqual(
      ['dibao', 'none', '低保边缘户', '支出型困难户', '易致贫返贫户'].sort(),
    );
    for (const r of compiled.ruleset.rules) {
      expect(seen).toContain(`${r.id}:true`);
      expect(seen).toContain(`${r.id}:false`);
    }
  });

  it('has a case citing each of 附件3 说明1–3 and the seed-worded boundaries', () => {
    const cited = (note: string) => doc.cases.filter((c) => c.cites?.startsWith(`附件3说明${note}`));
    for (const note of ['1', '2', '3']) expect(cited(note).length).toBeGreaterThan(1);
    const names = doc.cases.map((c) => c.name).join('\n');
    for (const boundary of [
      '恰等于标准',
      '恰为1.5倍',
      '高于1.5倍且有医疗支出',
      '存款80万元',
      '已纳入低保',
      '已纳入特困',
      '建档立卡',
      '650.0039',
    ])
      expect(names).toContain(boundary);
  });

  it('reports a wrong expectation as a mismatch, and an evaluation error per case', () => {
    const broken: RuleCases = {
      ...doc,
      cases: [
        { ...doc.cases[0]!, expect: { entitlement: 1 } },
        { ...doc.cases[0]!, asOf: '2019-01-01' },
      ],
    };
    const [wrong, missing] = runCases(compiled, broken, demoRecords());
    expect(wrong).toMatchObject({
      ok: false,
      mismatches: [{ output: 'entitlement', expected: 1, actual: 450 }],
    });
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining('dibao_standard') });
  });
});
