import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NxError } from '../../../engine/index.ts';
import { loadRulesetsDir } from '../../../plugins/rules/index.ts';
import { loadRuleset } from '../../../plugins/rules/load-ruleset.ts';
import { ELIGIBILITY_FILE } from './fixtures.ts';

const t = (s: string) => ({ 'zh-CN': s, en: s });

/** A small valid ruleset; tests break one thing at a time. */
function ruleset(): Record<string, unknown> & {
  facts: unknown[];
  rules: Record<string, unknown>[];
  outputs: unknown[];
} {
  return {
    id: 'tiny',
    version: 1,
    title: t('小'),
    parameters: { standard: { name: 'dibao_standard', label: t('低保标准'), type: 'money', minimum: 1 } },
    facts: [{ id: 'income', label: t('收入'), value: { var: 'input.income' } }],
    rules: [
      {
        id: 'low',
        label: t('低'),
        when: { '<=': [{ var: 'income' }, { var: 'standard' }] },
        reason: t('{{income}} ≤ {{standard}}'),
      },
    ],
    outputs: [{ id: 'candidate', value: { var: 'rules.low' } }],
  };
}

const pointers = (json: unknown) => {
  const r = loadRuleset(json, { file: 'tiny.json' });
  return r.ok ? [] : r.problems.map((p) => `${p.pointer} ${p.code}`);
};

describe('loadRuleset', () => {
  it('accepts the shipped household-eligibility ruleset and a minimal one', () => {
    expect(loadRuleset(JSON.parse(readFileSync(ELIGIBILITY_FILE, 'utf8'))).problems).toEqual([]);
    expect(loadRuleset(ruleset()).ok).toBe(true);
  });

  it('reports schema problems with pointers', () => {
    const rs = ruleset();
    rs.rules[0] = { ...rs.rules[0], reason: { 'zh-CN': 'x' } };
    expect(pointers({ ...rs, version: 0 })).toEqual(
      expect.arrayContaining([
        '/version NX_ERR_DEF_OUT_OF_RANGE',
        '/rules/0/reason NX_ERR_DEF_MISSING_PROPERTY',
      ]),
    );
  });

  it('reports a name read before it is defined, or never', () => {
    const rs = ruleset();
    rs.facts.unshift({ id: 'double', label: t('二'), value: { '*': [{ var: 'income' }, 2] } });
    rs.outputs.push({ id: 'x', value: { var: 'rules.high' } });
    expect(pointers(rs)).toEqual([
      '/facts/0/value NX_ERR_RULES_UNKNOWN_NAME',
      '/outputs/1/value NX_ERR_RULES_UNKNOWN_NAME',
    ]);
  });

  it('reports a placeholder naming nothing', () => {
    const rs = ruleset();
    rs.rules[0] = { ...rs.rules[0], reason: { 'zh-CN': '{{incme}}', en: '{{income}}' } };
    expect(pointers(rs)).toEqual(['/rules/0/reason/zh-CN NX_ERR_RULES_UNKNOWN_NAME']);
  });

  it('reports duplicate and reserved names', () => {
    const rs = ruleset();
    rs.facts.push({ id: 'standard', label: t('重'), value: 1 }, { id: 'rules', label: t('保留'), value: 1 });
    rs.rules.push({ ...rs.rules[0] });
    expect(pointers(rs)).toEqual([
      '/facts/1/id NX_ERR_RULES_DUPLICATE_NAME',
      '/facts/2/id NX_ERR_RULES_DUPLICATE_NAME',
      '/rules/1/id NX_ERR_RULES_DUPLICATE_NAME',
    ]);
  });

  it('reports an unknown operation at its place inside the rule', () => {
    const rs = ruleset();
    rs.rules[0] = { ...rs.rules[0], when: { and: [true, { lte: [1, 2] }] } };
    expect(pointers(rs)).toEqual(['/rules/0/when/and/1/lte NX_ERR_LOGIC_UNKNOWN_OP']);
  });

  it('names the file in every problem', () => {
    const r = loadRuleset({ ...ruleset(), id: 'Bad Id' }, { file: 'tiny.json' });
    expect(r.ok).toBe(false);
    expect(r.problems.every((p) => p.file === 'tiny.json')).toBe(true);
  });
  it('checks each parameter declaration: bounds in order, the default within them and of its type, each store name once', () => {
    const rs = ruleset();
    rs.parameters = {
      standard: { name: 'dibao_standard', label: t('低保标准'), type: 'money', minimum: 10, maximum: 1 },
      factor: { name: 'marginal_factor', label: t('倍数'), type: 'integer', minimum: 1, default: 1.5 },
      again: { name: 'dibao_standard', label: t('重复'), type: 'money' },
    };
    expect(pointers(rs)).toEqual([
      '/parameters/standard/minimum NX_ERR_RULES_BAD_DECLARATION',
      '/parameters/factor/default NX_ERR_RULES_BAD_DECLARATION',
      '/parameters/again/name NX_ERR_RULES_DUPLICATE_NAME',
    ]);
    rs.parameters = { standard: { name: 'dibao_standard', label: t('低保标准') } };
    expect(new Set(pointers(rs))).toEqual(new Set(['/parameters/standard/type NX_ERR_DEF_SCHEMA']));
  });
});

describe('loadRulesetsDir', () => {
  it('lists the problems of every bad ruleset in the folder, not only the first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-rulesets-'));
    const a = ruleset();
    a.id = 'a';
    a.rules[0] = { ...a.rules[0], when: { '<=': [{ var: 'incom' }, 1] } };
    const b = ruleset();
    b.id = 'b';
    b.outputs = [];
    writeFileSync(join(dir, 'a.json'), JSON.stringify(a));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(b));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ ...ruleset(), id: 'c' }));
    writeFileSync(join(dir, 'c.cases.json'), '{ not a ruleset');
    let err: NxError | undefined;
    try {
      loadRulesetsDir(dir);
    } catch (e) {
      err = e as NxError;
    }
    expect(err?.code).toBe('NX_ERR_RULES_INVALID_RULESET');
    expect(err?.errors?.map((e) => [String(e.params?.file).split('/').pop(), e.path])).toEqual([
      ['a.json', '/rules/0/when'],
      ['b.json', '/outputs'],
    ]);
  });
});
