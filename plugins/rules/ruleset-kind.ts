import { childPointer, type DefinitionKind } from '../../engine/entry/plugin.ts';
import { collectVars, type OperationRegistry } from '../../engine/entry/runtime.ts';
import { loadRuleset } from './load-ruleset.ts';
import { Ruleset, rulesetJsonSchema } from './ruleset-schema.ts';
import { loadRuleCases, RuleCases, ruleCasesJsonSchema } from './run-cases.ts';

/** The form fields a ruleset reads (`input.<field>`), in order of first appearance. */
export function rulesetInputs(rs: Ruleset, operations?: OperationRegistry): string[] {
  const rules = [
    rs.area,
    ...rs.facts.map((f) => f.value),
    ...rs.rules.map((r) => r.when),
    ...rs.outputs.map((o) => o.value),
  ];
  const out = new Set<string>();
  for (const rule of rules) {
    if (rule === undefined) continue;
    for (const path of collectVars(rule, operations)) {
      const [root, field] = path.split('.');
      if (root === 'input' && field) out.add(field);
    }
  }
  return [...out];
}

/**
 * Rulesets as a definition kind (`rulesets/*.json`). Names: `outputs`, and `inputs` — the form
 * fields it reads, which a form it is evaluated on must have.
 */
export function rulesetKind(dir?: string): DefinitionKind<Ruleset> {
  return {
    name: 'ruleset',
    folder: 'rulesets',
    title: { 'zh-CN': '规则集', en: 'ruleset' },
    schema: Ruleset,
    jsonSchema: rulesetJsonSchema,
    accepts: (f) => f.endsWith('.json') && !f.endsWith('.cases.json') && !f.endsWith('.schema.json'),
    ...(dir ? { dirs: [dir] } : {}),
    load: (json, ctx) => loadRuleset(json, ctx),
    idOf: (rs) => rs.id,
    names: (rs) => ({ outputs: rs.outputs.map((o) => o.id), inputs: rulesetInputs(rs) }),
  };
}

/** Test cases beside a ruleset (`*.cases.json`): the ruleset they name must have the outputs they expect. */
export function ruleCasesKind(dir?: string): DefinitionKind<RuleCases> {
  return {
    name: 'ruleset-cases',
    folder: 'rulesets',
    title: { 'zh-CN': '规则集测试用例', en: 'ruleset cases' },
    schema: RuleCases,
    jsonSchema: ruleCasesJsonSchema,
    accepts: (f) => f.endsWith('.cases.json'),
    ...(dir ? { dirs: [dir] } : {}),
    load: (json, ctx) => loadRuleCases(json, ctx.file),
    idOf: () => undefined,
    references(doc) {
      if (doc.ruleset === undefined) return [];
      const names = doc.cases.flatMap((c, i) =>
        Object.keys(c.expect).map((name) => ({
          namespace: 'outputs',
          name,
          pointer: childPointer('/cases', i, 'expect', name),
        })),
      );
      return [{ kind: 'ruleset', id: doc.ruleset, pointer: '/ruleset', names }];
    },
  };
}
