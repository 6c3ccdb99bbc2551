import type { FormDefinition } from '../definition/form-schema.ts';
import { definitionLimitProblems } from '../definition/json-limits.ts';
import { type LoadFormOptions, loadForm } from '../definition/load-form.ts';
import { type LoadResult, type Problem, rejected } from '../definition/problem.ts';
import { schemaProblems } from '../definition/schema-problems.ts';
import { applyOverlay } from './apply-overlay.ts';
import { locateField } from './locate-field.ts';
import { type FormOverlay, FormOverlayShape } from './overlay-schema.ts';

/**
 * Checks an overlay like a form: its own shape, that every operation applies to `base`, and
 * that the result loads as a form. Problems inside a field the overlay added or changed point
 * into the overlay (`/operations/0/field/options/1`); others keep their pointer into the form.
 */
export function loadOverlay(
  json: unknown,
  base: FormDefinition,
  opts: LoadFormOptions = {},
): LoadResult<{ overlay: FormOverlay; result: FormDefinition }> {
  const limits = definitionLimitProblems(json, opts.file);
  if (limits.length > 0) return rejected(limits);
  const shape = schemaProblems(FormOverlayShape, json, opts.file, { discriminator: 'op' });
  if (shape.length > 0) return rejected(shape);
  const overlay = json as FormOverlay;
  const applied = applyOverlay(base, overlay, opts.file);
  if (!applied.ok) return rejected(applied.problems);
  const checked = loadForm(applied.value, opts);
  if (checked.ok) return { ok: true, value: { overlay, result: checked.value }, problems: [] };
  // Map pointers of the result back to the operation that produced the field.
  const owners: { pointer: string; to: string }[] = [];
  for (const [i, t] of applied.trace?.targets ?? []) {
    const slot = locateField(applied.value, t.ref);
    if (slot)
      owners.push({ pointer: slot.pointer, to: t.added ? `/operations/${i}/field` : `/operations/${i}` });
  }
  owners.sort((a, b) => b.pointer.length - a.pointer.length);
  const problems: Problem[] = checked.problems.map((p) => {
    const owner = owners.find((o) => p.pointer === o.pointer || p.pointer.startsWith(`${o.pointer}/`));
    if (!owner) return p;
    const rest = p.pointer.slice(owner.pointer.length);
    return { ...p, pointer: owner.to.endsWith('/field') ? owner.to + rest : owner.to };
  });
  return rejected(problems);
}
