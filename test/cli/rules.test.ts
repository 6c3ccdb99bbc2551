import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { household } from '../plugins/rules/fixtures.ts';
import { runMain } from './run-main.ts';

const CASES = join(import.meta.dirname, '../../plugins/rules/rulesets/household-eligibility.cases.json');
const dir = mkdtempSync(join(tmpdir(), 'nx-rules-cli-'));
const file = (name: string, json: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(json));
  return p;
};

describe('nuanxin rules eval', () => {
  it('prints the decision as JSON, as of the given date and org unit', async () => {
    const facts = file('facts.json', household({ perCapita: 630 }));
    const before = await runMain([
      'rules',
      'eval',
      'household-eligibility',
      facts,
      '--org',
      '510302',
      '--date',
      '2021-06-30',
      '--json',
    ]);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).outputs).toMatchObject({ inRoster: true, hardshipType: '低保边缘户' });
    const after = await runMain([
      'rules',
      'eval',
      'household-eligibility',
      facts,
      '--org',
      '510302',
      '--date',
      '2021-07-01',
      '--json',
    ]);
    expect(JSON.parse(after.stdout).outputs).toMatchObject({ dibaoCandidate: true, entitlement: 60 });
  });

  it('explains in both languages, with the values compared', async () => {
    const facts = file('facts2.json', {
      data: household({ perCapita: 500 }),
      orgCode: '510302',
      asOf: '2021-08-01',
    });
    const r = await runMain(['rules', 'eval', 'household-eligibility', facts]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ 收入不高于低保标准');
    expect(r.stdout).toContain('人均月收入 500 元 ≤ 低保标准 650 元');
    expect(r.stdout).toContain('dibao_standard; 510000 urban from 2021-07-01');
  });

  it('uses another parameter file when given one', async () => {
    const params = file('params.json', {
      parameters: [
        { name: 'dibao_standard', orgCode: '510000', area: null, validFrom: '2020-01-01', value: 400 },
      ],
    });
    const facts = file('facts3.json', household({ perCapita: 500 }));
    const r = await runMain([
      'rules',
      'eval',
      'household-eligibility',
      facts,
      '--org',
      '510302',
      '--date',
      '2021-08-01',
      '--params',
      params,
      '--json',
    ]);
    expect(JSON.parse(r.stdout).outputs).toMatchObject({ inRoster: true, dibaoCandidate: false });
  });

  it('fails with exit 1 without an org unit, or on a broken ruleset', async () => {
    const facts = file('facts4.json', household({ perCapita: 500 }));
    const noOrg = await runMain(['rules', 'eval', 'household-eligibility', facts]);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('--org');
    const broken = file('broken.json', { id: 'x', version: 1 });
    const bad = await runMain(['rules', 'eval', broken, facts, '--org', '510302']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('#  NX_ERR_DEF_MISSING_PROPERTY');
  });
});

describe('nuanxin rules test', () => {
  it('passes the shipped cases', async () => {
    const r = await runMain(['rules', 'test', 'household-eligibility', CASES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/(\d+)\/\1 通过/);
  });

  it('exits 1 and shows the mismatch when an expectation does not hold', async () => {
    const doc = JSON.parse(readFileSync(CASES, 'utf8'));
    doc.cases = [{ ...doc.cases[4], expect: { inRoster: true } }]; // exactly 1.5×: the roster would be wrong
    const r = await runMain(['rules', 'test', 'household-eligibility', file('cases.json', doc)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('inRoster: 期望 / expected true, 实际 / got false');
  });
});

describe('nuanxin rules what-if', () => {
  it('reports per county the families that change and the cost, totals adding up', async () => {
    const households = file('households.json', [
      { id: 'a', orgCode: '510302', data: household({ perCapita: 680, size: 2 }) },
      { id: 'b', orgCode: '510302001', data: household({ perCapita: 500, size: 3 }) },
      { id: 'c', orgCode: '511923101201', data: household({ perCapita: 480, size: 4, area: 'rural' }) },
    ]);
    const proposed = file('proposed.json', {
      parameters: [
        { name: 'dibao_standard', orgCode: '510000', area: 'urban', validFrom: '2021-07-01', value: 700 },
      ],
    });
    const r = await runMain([
      'rules',
      'what-if',
      'household-eligibility',
      households,
      '--proposed',
      proposed,
      '--date',
      '2021-08-01',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(
      report.counties.map((c: { county: string; changed: number; costChange: number }) => [
        c.county,
        c.changed,
        c.costChange,
      ]),
    ).toEqual([
      ['510302', 1, 190],
      ['511923', 0, 0],
    ]);
    expect(report.totals).toMatchObject({ households: 3, changed: 1, costChange: 190 });
    const text = await runMain([
      'rules',
      'what-if',
      'household-eligibility',
      households,
      '--proposed',
      proposed,
      '--date',
      '2021-08-01',
    ]);
    expect(text.stdout).toContain('低保边缘户 → dibao: 1');
  });
});

describe('nuanxin validate for rulesets', () => {
  it('checks the shipped rulesets and their cases, each by its kind', async () => {
    const r = await runMain([
      'validate',
      join(import.meta.dirname, '../../plugins/rules/rulesets'),
      '--json',
    ]);
    expect(r.code, r.stdout).toBe(0);
  });

  it('reports a broken ruleset in a rulesets/ folder with its pointer', async () => {
    const rulesets = mkdtempSync(join(tmpdir(), 'nx-rulesets-'));
    const folder = join(rulesets, 'rulesets');
    mkdirSync(folder);
    const ruleset = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '../../plugins/rules/rulesets/household-eligibility.json'),
        'utf8',
      ),
    ) as { $schema?: string; version: unknown };
    delete ruleset.$schema;
    ruleset.version = 'one';
    writeFileSync(join(folder, 'broken.json'), JSON.stringify(ruleset));
    const r = await runMain(['validate', join(folder, 'broken.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('broken.json:/version');
  });
});
