/**
 * `household-eligibility` decisions/s: the rules plugin's compiled ruleset (with and without
 * explanations) against the same JSON Logic run by plain json-logic-js, and against an
 * equivalent json-rules-engine rule set. Every engine must reach the same roster and dibao
 * decisions on every household before anything is timed.
 */

import jsonLogic from 'json-logic-js';
import { Engine } from 'json-rules-engine';
import { roundDecimal, toFen, toNumber } from '../../engine/logic/decimal.ts';
import { compileRuleset } from '../../plugins/rules/compile-ruleset.ts';
import { loadRulesetFile } from '../../plugins/rules/load-ruleset.ts';
import { lookupOf } from '../../plugins/rules/parameters.ts';
import { DEMO_PARAMETERS_FILE, loadParameterFile } from '../../plugins/rules/params-file.ts';
import type { Ruleset } from '../../plugins/rules/ruleset-schema.ts';
import { HOUSEHOLD_AS_OF, makeHouseholds } from '../../test/factories/household.ts';
import { type BenchOptions, type BenchResult, compare, measure, measureAsync } from '../harness.ts';

export const name = 'rules';
export const description =
  'household-eligibility decisions/s: rules plugin vs plain json-logic-js vs json-rules-engine';

type Rec = Record<string, unknown>;
/** A village of 平昌县 (Pingchang), whose county sets its own rural standard: the lookup walks three levels. */
const ORG = '511923';
const CHAIN = ['511923', '511900', '510000'];

/** Nuanxin's two custom operations the ruleset uses, added to json-logic-js the way its users would. */
function addCustomOps(): void {
  jsonLogic.add_operation('sum', (...args: unknown[]) => {
    const terms =
      args.length === 2 && Array.isArray(args[0]) && typeof args[1] === 'string'
        ? (args[0] as Rec[]).map((r) => r?.[args[1] as string])
        : args.flat();
    let fen = 0;
    for (const t of terms) {
      const n = toNumber(t);
      if (n !== null) fen += toFen(n) ?? Math.round(n * 100);
    }
    return fen / 100;
  });
  jsonLogic.add_operation('round', (x: unknown, d: unknown) => roundDecimal(Number(x), Number(d ?? 0)));
}

/**
 * json-logic-js cannot add an operation whose argument is a rule run per row (its operations get
 * evaluated arguments), so the ruleset's `count` of rows where a rule holds is written with its
 * built-in filter and reduce.
 */
function forJsonLogicJs(rule: unknown): unknown {
  if (Array.isArray(rule)) return rule.map(forJsonLogicJs);
  if (rule === null || typeof rule !== 'object') return rule;
  const [op, raw] = Object.entries(rule)[0] ?? [];
  if (op === 'count' && Array.isArray(raw) && raw.length === 2)
    return {
      reduce: [
        { filter: [forJsonLogicJs(raw[0]), forJsonLogicJs(raw[1])] },
        { '+': [{ var: 'accumulator' }, 1] },
        0,
      ],
    };
  return Object.fromEntries(Object.entries(rule).map(([k, v]) => [k, forJsonLogicJs(v)]));
}

/** The ruleset evaluated by json-logic-js: facts in order, rules, outputs, on one plain scope object. */
function jsonLogicEvaluator(ruleset: Ruleset, lookup: ReturnType<typeof lookupOf>) {
  const facts = ruleset.facts.map((f) => ({ id: f.id, value: forJsonLogicJs(f.value) }));
  return (input: Rec): Rec => {
    const area = jsonLogic.apply(ruleset.area as never, { input }) as 'urban' | 'rural' | null;
    const scope: Rec = { input };
    for (const [alias, p] of Object.entries(ruleset.parameters)) {
      const found = lookup({ name: p.name, orgCode: ORG, area, asOf: HOUSEHOLD_AS_OF, chain: CHAIN });
      scope[alias] = found ? found.value : p.default;
    }
    for (const f of facts) scope[f.id] = jsonLogic.apply(f.value as never, scope);
    const rules: Rec = {};
    for (const r of ruleset.rules) rules[r.id] = jsonLogic.truthy(jsonLogic.apply(r.when as never, scope));
    const outputs: Rec = {};
    const outScope = { ...scope, rules, outputs };
    for (const o of ruleset.outputs) outputs[o.id] = jsonLogic.apply(o.value as never, outScope);
    return outputs;
  };
}

/**
 * The same decision in json-rules-engine: the income facts are fact functions (its way of
 * computing values), the two decisions are rules whose conditions compare facts with facts.
 */
function rulesEngine(lookup: ReturnType<typeof lookupOf>): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const param = (name: string, area: 'urban' | 'rural' | null, fallback: number) =>
    lookup({ name, orgCode: ORG, area, asOf: HOUSEHOLD_AS_OF, chain: CHAIN })?.value ?? fallback;
  const input = async (a: { factValue(id: string): Promise<unknown> }) => (await a.factValue('input')) as Rec;
  const money = (v: unknown) => toFen(toNumber(v) ?? 0) ?? 0;
  engine.addFact('standard', async (_p, a) => {
    const i = await input(a);
    return param('dibao_standard', i.areaType === 'urban' ? 'urban' : 'rural', Number.NaN);
  });
  engine.addFact('totalFen', async (_p, a) => {
    const i = await input(a);
    const members = Array.isArray(i.members) ? (i.members as Rec[]) : [];
    return (
      money(i.headAnnualIncome) + money(i.pension) + members.reduce((s, m) => s + money(m.annualIncome), 0)
    );
  });
  engine.addFact('size', async (_p, a) => Math.max(1, Number((await input(a)).householdSize ?? 1)));
  engine.addFact('perCapitaFen', async (_p, a) => {
    const total = (await a.factValue('totalFen')) as number;
    return roundDecimal(total / (12 * ((await a.factValue('size')) as number)), 0);
  });
  engine.addFact('standardFen', async (_p, a) =>
    Math.round(((await a.factValue('standard')) as number) * 100),
  );
  engine.addFact('marginalCeilingFen', async (_p, a) =>
    Math.round(((await a.factValue('standard')) as number) * param('marginal_factor', null, 1.5) * 100),
  );
  // The asset test (附件3说明2): deposits per person, vehicles not used for work, owned houses.
  engine.addFact('depositsPerCapitaFen', async (_p, a) =>
    Math.round(money((await input(a)).cashDeposits) / ((await a.factValue('size')) as number)),
  );
  engine.addFact('depositLimitFen', async (_p, a) =>
    Math.round(((await a.factValue('standardFen')) as number) * param('asset_deposit_months', null, 24)),
  );
  const WORK = new Set(['农用', '运输', '生产', '经营', '营运']);
  engine.addFact('nonWorkVehicles', async (_p, a) => {
    const v = (await input(a)).vehicles;
    return Array.isArray(v) ? (v as Rec[]).filter((x) => !WORK.has(String(x.use))).length : 0;
  });
  engine.addFact('ownedHouses', async (_p, a) => {
    const h = (await input(a)).housing;
    return Array.isArray(h) ? (h as Rec[]).filter((x) => x.nature !== 'rented').length : 0;
  });
  const notAssisted = {
    all: [
      { fact: 'input', path: '$.assistanceReceived', operator: 'doesNotContain', value: 'dibao' },
      { fact: 'input', path: '$.assistanceReceived', operator: 'doesNotContain', value: 'tekun' },
    ],
  };
  const assetsPass = {
    all: [
      { fact: 'depositsPerCapitaFen', operator: 'lessThanInclusive', value: { fact: 'depositLimitFen' } },
      {
        fact: 'nonWorkVehicles',
        operator: 'lessThanInclusive',
        value: param('asset_max_nonwork_vehicles', null, 0),
      },
      { fact: 'ownedHouses', operator: 'lessThanInclusive', value: param('asset_max_houses', null, 1) },
    ],
  };
  engine.addRule({
    name: 'dibaoCandidate',
    conditions: {
      all: [
        notAssisted,
        assetsPass,
        { fact: 'perCapitaFen', operator: 'lessThanInclusive', value: { fact: 'standardFen' } },
      ],
    },
    event: { type: 'dibaoCandidate' },
  });
  // 附件3说明1: above the standard and below 1.5× it (the demo parameters leave the provincial
  // option for expense hardship above 1.5× off).
  engine.addRule({
    name: 'inRoster',
    conditions: {
      all: [
        notAssisted,
        assetsPass,
        { fact: 'perCapitaFen', operator: 'greaterThan', value: { fact: 'standardFen' } },
        { fact: 'perCapitaFen', operator: 'lessThan', value: { fact: 'marginalCeilingFen' } },
      ],
    },
    event: { type: 'inRoster' },
  });
  return engine;
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const loaded = loadRulesetFile(
    new URL('../../plugins/rules/rulesets/household-eligibility.json', import.meta.url).pathname,
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const params = loadParameterFile(DEMO_PARAMETERS_FILE);
  if (!params.ok) throw new Error(JSON.stringify(params.problems));
  const lookup = lookupOf(params.value);
  const compiled = compileRuleset(loaded.value);
  addCustomOps();
  const viaJsonLogic = jsonLogicEvaluator(loaded.value, lookup);
  const engine = rulesEngine(lookup);
  // Validated submissions carry numbers; the generator's households are already in that shape.
  const households = makeHouseholds(opts.quick ? 50 : 2000, 11) as unknown as Rec[];
  const n = households.length;
  const base = { asOf: HOUSEHOLD_AS_OF, orgCode: ORG, chain: CHAIN, parameters: lookup };

  let roster = 0;
  let dibao = 0;
  for (const h of households) {
    const d = compiled.evaluate(h, base).outputs;
    const j = viaJsonLogic(h);
    const { events } = await engine.run({ input: h });
    const types = new Set(events.map((e) => e.type));
    if (JSON.stringify(j) !== JSON.stringify(d))
      throw new Error(`json-logic-js and the rules plugin disagree: ${JSON.stringify([d, j])}`);
    if (types.has('inRoster') !== d.inRoster || types.has('dibaoCandidate') !== d.dibaoCandidate)
      throw new Error(`json-rules-engine and the rules plugin disagree: ${JSON.stringify([d, [...types]])}`);
    if (d.inRoster) roster++;
    if (d.dibaoCandidate) dibao++;
  }
  const it = (full: number, quick: number) => ({
    iterations: opts.quick ? quick : full,
    rounds: opts.quick ? 1 : 5,
    unit: 'decisions/s',
  });
  const rows = [
    measure(
      'nuanxin rules, explain: false',
      (i) => compiled.evaluate(households[i % n] as Rec, { ...base, explain: false }),
      it(200_000, 200),
    ),
    measure(
      'nuanxin rules, with explanations',
      (i) => compiled.evaluate(households[i % n] as Rec, base),
      it(50_000, 100),
    ),
    measure(
      'json-logic-js (same JSON Logic)',
      (i) => viaJsonLogic(households[i % n] as Rec),
      it(50_000, 100),
    ),
    await measureAsync(
      'json-rules-engine (equivalent rules)',
      (i) => engine.run({ input: households[i % n] }),
      {
        ...it(5_000, 50),
        rounds: opts.quick ? 1 : 3,
      },
    ),
  ];
  return [
    compare('household-eligibility decisions', 'nuanxin rules, explain: false', rows, [
      `${n} generated households (${roster} on the roster, ${dibao} dibao candidates); all engines reach the same decisions`,
      'json-logic-js runs the ruleset’s own facts, rules and outputs with Nuanxin’s sum and round added as operations',
      'json-rules-engine computes the income facts in fact functions (JavaScript) and decides roster and dibao only; it has no hardship type or entitlement output',
      'the baseline here is the engine itself without explanations: no hand-written limit is measured for rules',
    ]),
  ];
}
