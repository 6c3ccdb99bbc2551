/**
 * Quick local timing of compileForm().validate on the household survey (not a test; the real
 * benchmark lives in bench/). Run: node --import tsx test/engine/runtime/timing.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateHouseholdByHand } from '../../../bench/baselines/household-handwritten.ts';
import type { FormDefinition } from '../../../engine/definition/form-schema.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import { HOUSEHOLD_AS_OF, makeHouseholds } from '../../factories/household.ts';

const def = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../forms/household-survey.json'), 'utf8'),
) as FormDefinition;
const form = compileForm(def);
const subs = makeHouseholds(2000, 7) as unknown[];
const ctx = { today: HOUSEHOLD_AS_OF };
const n = subs.length;
let ok = 0;
for (let i = 0; i < 20_000; i++) if (form.validate(subs[i % n], ctx).ok) ok++;
const iterations = Number(process.argv[2] ?? 100_000);
const rate = (f: (s: unknown) => boolean) => {
  for (let i = 0; i < 10_000; i++) if (f(subs[i % n])) ok++;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) if (f(subs[i % n])) ok++;
  return (iterations * 1e9) / Number(process.hrtime.bigint() - t0);
};
// Alternate rounds and keep the best of each: the machine may be busy with other work.
let engine = 0;
let hand = 0;
for (let round = 0; round < 5; round++) {
  engine = Math.max(
    engine,
    rate((s) => form.validate(s, ctx).ok),
  );
  hand = Math.max(
    hand,
    rate((s) => validateHouseholdByHand(s, HOUSEHOLD_AS_OF).ok),
  );
}
console.log(
  `engine ${Math.round(engine).toLocaleString()}/s, hand-written ${Math.round(hand).toLocaleString()}/s, ratio ${(engine / hand).toFixed(2)} (${ok})`,
);
