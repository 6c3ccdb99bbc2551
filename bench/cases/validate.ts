/**
 * Validation throughput of household-survey submissions (valid and invalid mixed): the engine's
 * compiled form against the hand-written limit and two peer engines, form.io (`@formio/core`)
 * and SurveyJS (`survey-core`), each with the survey in its own format (`bench/peers/`). Before
 * timing, every engine must flag exactly the same submissions as the hand-written checks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormDefinition } from '../../engine/index.ts';
import { compileForm } from '../../engine/runtime/compile-form.ts';
import { HOUSEHOLD_AS_OF, makeHouseholds } from '../../test/factories/household.ts';
import { validateHouseholdByHand } from '../baselines/household-handwritten.ts';
import { type BenchOptions, type BenchResult, compare, measure } from '../harness.ts';
import { toFormioData, validateFormio } from '../peers/formio-household.ts';
import { createSurveyjsValidator } from '../peers/surveyjs-household.ts';

export const name = 'validate';
export const description =
  'household-survey validation: submissions/s, engine vs hand-written checks, form.io and SurveyJS';

/** Every fifth submission gets one realistic mistake, so valid and invalid paths are both timed. */
export function mixedSubmissions(n: number, seed: number): unknown[] {
  const all = makeHouseholds(n, seed) as unknown as Record<string, unknown>[];
  return all.map((h, i) => {
    if (i % 5 !== 4) return h;
    const bad = structuredClone(h);
    switch (((i / 5) % 4) | 0) {
      case 0:
        bad.householdSize = (bad.householdSize as number) + 1;
        break;
      case 1:
        bad.headIdNumber = `${(bad.headIdNumber as string).slice(0, 17)}${(bad.headIdNumber as string)[17] === '0' ? '1' : '0'}`;
        break;
      case 2:
        bad.phone = '12345';
        break;
      default:
        bad.headAnnualIncome = -1;
    }
    return bad;
  });
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const def = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../forms/household-survey.json'), 'utf8'),
  ) as FormDefinition;
  const form = compileForm(def);
  const surveyjs = createSurveyjsValidator();
  const subs = mixedSubmissions(opts.quick ? 50 : 2000, 7);
  const formioSubs = subs.map(toFormioData);
  const ctx = { today: HOUSEHOLD_AS_OF };
  // The peers are two to four orders of magnitude slower: they are checked and timed on a prefix.
  const peerN = opts.quick ? 10 : 200;
  const surveyN = opts.quick ? 10 : 80;
  const disagree: Record<string, number> = { nuanxin: 0, 'form.io': 0, SurveyJS: 0 };
  let invalid = 0;
  subs.forEach((s, i) => {
    const hand = validateHouseholdByHand(s, HOUSEHOLD_AS_OF).ok;
    if (!hand) invalid++;
    if (form.validate(s, ctx).ok !== hand) disagree.nuanxin = (disagree.nuanxin ?? 0) + 1;
    if (i < peerN) {
      if (validateFormio(formioSubs[i] as Record<string, unknown>) !== hand)
        disagree['form.io'] = (disagree['form.io'] ?? 0) + 1;
    }
    if (i < surveyN) {
      if (surveyjs(s) !== hand) disagree.SurveyJS = (disagree.SurveyJS ?? 0) + 1;
    }
  });
  for (const [engine, n] of Object.entries(disagree)) {
    if (n > 0) throw new Error(`${engine} and the hand-written checks disagree on ${n} submissions`);
  }
  const n = subs.length;
  const it = (full: number, quick: number) => ({
    iterations: opts.quick ? quick : full,
    rounds: opts.quick ? 1 : 5,
    unit: 'subs/s',
  });
  const rows = [
    measure(
      'hand-written TypeScript (limit)',
      (i) => validateHouseholdByHand(subs[i % n], HOUSEHOLD_AS_OF).ok,
      it(100_000, 200),
    ),
    measure('nuanxin compileForm().validate', (i) => form.validate(subs[i % n], ctx).ok, it(100_000, 200)),
    measure(
      'form.io @formio/core processSync',
      (i) => validateFormio(formioSubs[i % peerN] as Record<string, unknown>),
      { ...it(600, 5), rounds: opts.quick ? 1 : 3, warmup: opts.quick ? 2 : 100 },
    ),
    measure('SurveyJS survey-core Model.validate', (i) => surveyjs(subs[i % surveyN]), {
      ...it(40, 3),
      rounds: opts.quick ? 1 : 3,
      warmup: opts.quick ? 1 : 20,
    }),
  ];
  return [
    compare('household-survey validation', 'hand-written TypeScript (limit)', rows, [
      `${n} generated submissions, ${invalid} invalid (one mistake in every fifth); Nuanxin flags the same ones as the hand-written checks`,
      `form.io checked and timed on the first ${peerN}, SurveyJS on the first ${surveyN} (same verdicts); both catch every kind of mistake the generator makes`,
      'peers differ: SurveyJS accepts values outside a question’s choices; form.io tick boxes are objects (converted before timing); both run ID, age and household-size checks as custom code',
    ]),
  ];
}
