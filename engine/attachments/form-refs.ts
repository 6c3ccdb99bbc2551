import type { FormDefinition } from '../definition/form-schema.ts';
import { piiKindOf } from '../forms/pii.ts';
import { walkFieldsOf } from './walk.ts';

/** One attachment a submission references: where (a JSON pointer), which, and whether it is personal. */
export interface FormRef {
  readonly field: string;
  readonly id: string;
  readonly type: string;
  readonly size: number;
  readonly pii: boolean;
}

/** Every attachment reference in `data` (top-level fields and table columns of attachment types). */
export function formRefs(def: FormDefinition, data: Record<string, unknown>): FormRef[] {
  const out: FormRef[] = [];
  for (const f of walkFieldsOf(def)) {
    const pii = piiKindOf(f.field, f.tablePii) !== undefined;
    const push = (pointer: string, v: unknown) => {
      const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
      for (const r of list) {
        if (r === null || typeof r !== 'object') continue;
        const { id, type, size } = r as Record<string, unknown>;
        if (typeof id === 'string' && typeof type === 'string' && typeof size === 'number')
          out.push({ field: pointer, id, type, size, pii });
      }
    };
    if (f.table === undefined) push(`/${f.field.id}`, data[f.field.id]);
    else {
      const rows = data[f.table];
      if (!Array.isArray(rows)) continue;
      rows.forEach((row, i) => {
        if (row !== null && typeof row === 'object')
          push(`/${f.table}/${i}/${f.field.id}`, (row as Record<string, unknown>)[f.field.id]);
      });
    }
  }
  return out;
}
