/**
 * Validation throughput of household-survey submissions (valid and invalid mixed): the engine's
 * compiled form against the hand-written limit. Before timing, both must flag the same submissions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormDefinition } from '../../engine/index.ts';
import { compileForm } from '../../engine/runtime/compile-form.ts';
import { HOUSEHOLD_AS_OF, makeHouseholds } from '../../test/factories/household.ts';
import { validateHouseholdByHand } from '../baselines/household-handwritten.ts';
import { type BenchResult, compare, measure } from '../harness.ts';

export const name = 'validate';
export const description = 'household-survey validation: submissions/s, engine vs hand-written checks';

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

export async function run(): Promise<BenchResult[]> {
  const def = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../forms/household-survey.json'), 'utf8'),
  ) as FormDefinition;
  const form = compileForm(def);
  const subs = mixedSubmissions(2000, 7);
  const ctx = { today: HOUSEHOLD_AS_OF };
  let disagree = 0;
  let invalid = 0;
  for (const s of subs) {
    const a = form.validate(s, ctx).ok;
    const b = validateHouseholdByHand(s, HOUSEHOLD_AS_OF).ok;
    if (a !== b) disagree++;
    if (!a) invalid++;
  }
  if (disagree > 0)
    throw new Error(`engine and hand-written checks disagree on ${disagree} of ${subs.length}`);
  const n = subs.length;
  const rows = [
    measure(
      'hand-written TypeScript (limit)',
      (i) => validateHouseholdByHand(subs[i % n], HOUSEHOLD_AS_OF).ok,
      {
        iterations: 50_000,
        unit: 'subs/s',
      },
    ),
    measure('nuanxin compileForm().validate', (i) => form.validate(subs[i % n], ctx).ok, {
      iterations: 50_000,
      unit: 'subs/s',
    }),
  ];
  return [
    compare('household-survey validation', 'hand-written TypeScript (limit)', rows, [
      `${n} generated submissions, ${invalid} invalid; both flag the same ones`,
    ]),
  ];
}
