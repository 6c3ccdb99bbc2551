import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogicBudget } from '../../../engine/entry/runtime.ts';
import { NxError } from '../../../engine/index.ts';
import { compileRuleset, loadRuleset } from '../../../plugins/rules/index.ts';
import { ruleArb, submissionArb } from '../../factories/hostile.ts';

/** No single decision may hold the event loop longer than this (they take milliseconds). */
const BOUND_MS = 5000;
const L = (s: string) => ({ 'zh-CN': s, en: s });

/** A ruleset over the random submission's fields: facts copy them, rules and outputs are random. */
const rulesetArb = fc
  .record({
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 3 }),
    output: ruleArb,
    withParameter: fc.boolean(),
  })
  .map(({ rules, output, withParameter }) => ({
    id: 'random',
    version: 1,
    title: L('random'),
    parameters: withParameter
      ? { standard: { name: 'dibao_standard', label: L('s'), type: 'money', minimum: 1, maximum: 10000 } }
      : {},
    facts: ['f0', 'f1', 'f2', 'f3', 'rows'].map((id) => ({
      id,
      label: L(id),
      value: { var: `input.${id}` },
    })),
    rules: rules.map((when, i) => ({ id: `r${i}`, label: L(`r${i}`), when, reason: L(`r${i}`) })),
    outputs: [
      { id: 'first', label: L('first'), value: { var: 'rules.r0' } },
      { id: 'random', label: L('random'), value: output },
    ],
  }));

describe('random rulesets (property-based)', () => {
  it('a valid ruleset evaluates any submission without throwing anything but coded errors, within one request budget', () => {
    let decided = 0;
    fc.assert(
      fc.property(rulesetArb, fc.array(submissionArb, { minLength: 1, maxLength: 4 }), (json, subs) => {
        const loaded = loadRuleset(json);
        if (!loaded.ok) {
          for (const p of loaded.problems) expect(p.code).toMatch(/^NX_ERR_[A-Z0-9_]+$/);
          return;
        }
        let compiled: ReturnType<typeof compileRuleset>;
        try {
          compiled = compileRuleset(loaded.value);
        } catch (e) {
          expect(e).toBeInstanceOf(NxError);
          return;
        }
        // One request: every decision spends the same budget, which no run may overshoot.
        const budget = createLogicBudget(3_000_000);
        for (const data of subs) {
          const t = performance.now();
          try {
            compiled.evaluate(data, {
              asOf: '2021-06-30',
              orgCode: '511923',
              parameters: () => ({
                name: 'dibao_standard',
                value: 500,
                orgCode: '510000',
                area: null,
                validFrom: '2021-01-01',
                series: 'dibao_standard@510000',
              }),
              budget,
            });
            decided++;
          } catch (e) {
            expect(e).toBeInstanceOf(NxError);
            expect((e as NxError).code).toMatch(/^NX_ERR_[A-Z0-9_]+$/);
          }
          expect(performance.now() - t).toBeLessThan(BOUND_MS);
          expect(budget.used).toBeLessThanOrEqual(budget.limit + 1_000_000);
        }
      }),
      { numRuns: 60, seed: 21, endOnFailure: true },
    );
    // The generator makes valid rulesets too, not only refusals.
    expect(decided).toBeGreaterThan(0);
  });

  it('a request budget stops a run over many households with a coded error naming the request', () => {
    const loaded = loadRuleset({
      id: 'loop',
      version: 1,
      title: L('loop'),
      parameters: {},
      facts: [{ id: 'rows', label: L('rows'), value: { var: 'input.rows' } }],
      rules: [
        {
          id: 'any',
          label: L('any'),
          when: { some: [{ var: 'rows' }, { '>': [{ var: 'n' }, 5] }] },
          reason: L('any'),
        },
      ],
      outputs: [{ id: 'any', label: L('any'), value: { var: 'rules.any' } }],
    });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const compiled = compileRuleset(loaded.value);
    const data = { rows: Array.from({ length: 1000 }, () => ({ n: 1 })) };
    const opts = { asOf: '2021-06-30', orgCode: '511923', parameters: () => undefined };
    // Alone, each decision is well within one evaluation's budget …
    for (let i = 0; i < 50; i++) expect(compiled.evaluate(data, opts).outputs.any).toBe(false);
    // … but fifty of them in one request of 20,000 steps are not.
    const budget = createLogicBudget(20_000);
    let caught: unknown;
    try {
      for (let i = 0; i < 50; i++) compiled.evaluate(data, { ...opts, budget });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NxError);
    expect((caught as NxError).code).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
    expect((caught as NxError).errors?.[0]?.params).toEqual({ maxSteps: 20_000, scope: 'request' });
    expect(budget.used).toBeGreaterThan(budget.limit);
  });
});
