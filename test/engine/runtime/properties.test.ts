import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../engine/definition/form-schema.ts';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { loadOverlay } from '../../../engine/forms/load-overlay.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import { formArb, overlayOperationArb, submissionArb } from '../../factories/hostile.ts';
import { householdForm } from '../../helpers/forms.ts';

/** No single call may hold the event loop longer than this (generous: they take milliseconds). */
const BOUND_MS = 5000;

const timed = <T>(f: () => T): { value: T; ms: number } => {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
};

const POINTER = /^(\/[^/]*)*$/;

/** Every refusal has a stable code and a JSON pointer. */
function expectCodedProblems(problems: readonly { code: string; pointer: string }[]): void {
  for (const p of problems) {
    expect(p.code).toMatch(/^NX_ERR_[A-Z0-9_]+$/);
    expect(p.pointer).toMatch(POINTER);
  }
}

describe('random definitions and submissions (property-based)', () => {
  it('forms: loading and validating never throw, never stall, and every refusal has a code and a pointer', () => {
    fc.assert(
      fc.property(formArb, fc.array(submissionArb, { minLength: 1, maxLength: 3 }), (def, subs) => {
        const loaded = timed(() => loadForm(def));
        expect(loaded.ms).toBeLessThan(BOUND_MS);
        if (!loaded.value.ok) {
          expect(loaded.value.problems.length).toBeGreaterThan(0);
          expectCodedProblems(loaded.value.problems);
          return;
        }
        const compiled = compileForm(loaded.value.value);
        for (const data of subs) {
          const r = timed(() => compiled.validate(data, { today: '2026-06-01' }));
          expect(r.ms).toBeLessThan(BOUND_MS);
          expect(r.value.ok).toBe(r.value.errors.length === 0);
          expect(r.value.errors.length).toBeLessThanOrEqual(101);
          for (const e of r.value.errors) {
            expect(e.code).toMatch(/^NX_ERR_[A-Z0-9_]+$/);
            expect(e.path).toMatch(POINTER);
          }
        }
      }),
      { numRuns: 60, seed: 12, endOnFailure: true },
    );
  });

  it('overlays: loading never throws or stalls; every refusal has a code and a pointer', () => {
    const base = householdForm() as FormDefinition;
    const fields = ['headName', 'phone', 'householdSize', 'members', 'members.name'];
    fc.assert(
      fc.property(fc.array(overlayOperationArb(fields), { minLength: 1, maxLength: 3 }), (operations) => {
        const r = timed(() => {
          try {
            return loadOverlay({ form: base.id, operations }, base);
          } catch (e) {
            // A compile-time refusal must at least be a coded error, never a crash.
            expect(e).toBeInstanceOf(NxError);
            return undefined;
          }
        });
        expect(r.ms).toBeLessThan(BOUND_MS);
        if (r.value && !r.value.ok) expectCodedProblems(r.value.problems);
        if (r.value?.ok) {
          const compiled = compileForm(r.value.value.result);
          const v = timed(() =>
            compiled.validate({ headName: `${'a'.repeat(48)}b` }, { today: '2026-06-01' }),
          );
          expect(v.ms).toBeLessThan(BOUND_MS);
        }
      }),
      { numRuns: 40, seed: 13, endOnFailure: true },
    );
  });
});
