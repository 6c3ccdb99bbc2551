import type { FormDefinition, ScalarField } from '../definition/form-schema.ts';
import { dataFields } from '../forms/walk-fields.ts';
import { ATTACHMENT_TYPES } from '../runtime/field-types/attachment-ref.ts';

/** An attachment field of a form: top-level, or a column of `table` (personal when the table is). */
export interface AttachmentField {
  readonly field: ScalarField;
  readonly table: string | undefined;
  readonly tablePii: boolean;
}

const cache = new WeakMap<FormDefinition, AttachmentField[]>();

/** The attachment fields (photo, file, signature) of a definition, tables' columns included. */
export function walkFieldsOf(def: FormDefinition): AttachmentField[] {
  const hit = cache.get(def);
  if (hit) return hit;
  const out: AttachmentField[] = [];
  for (const f of dataFields(def)) {
    if (f.type === 'table') {
      for (const c of f.columns)
        if (ATTACHMENT_TYPES.has(c.type)) out.push({ field: c, table: f.id, tablePii: f.pii === true });
    } else if (ATTACHMENT_TYPES.has(f.type)) out.push({ field: f, table: undefined, tablePii: false });
  }
  cache.set(def, out);
  return out;
}
