import { Type } from '@sinclair/typebox';
import { SelectField } from '../../definition/form-schema.ts';
import { fail, okSlot } from './common.ts';
import type { FieldSpec, FieldTypeDefinition } from './types.ts';

/** Option values by their text form, so '2' finds the option 2 and 2 finds the option '2'. */
export function optionIndex(field: FieldSpec): Map<string, string | number> {
  const map = new Map<string, string | number>();
  const options = Array.isArray(field.options) ? (field.options as { value: string | number }[]) : [];
  for (const o of options) map.set(String(o.value), o.value);
  return map;
}

/** The canonical option value for a raw value, or undefined. */
export function lookupOption(index: Map<string, string | number>, raw: unknown): string | number | undefined {
  if (typeof raw === 'string') return index.get(raw.trim());
  if (typeof raw === 'number') return index.get(String(raw));
  return undefined;
}

export const selectType: FieldTypeDefinition = {
  name: 'select',
  description: 'One value from a list of options',
  options: Type.Pick(SelectField, ['options', 'display']),
  compile(field) {
    const ok = okSlot();
    const index = optionIndex(field);
    const allowed = [...index.values()];
    return (raw) => {
      const v = lookupOption(index, raw);
      if (v === undefined) return fail('NX_ERR_VALUE_OPTION', { allowed });
      ok.value = v;
      return ok;
    };
  },
};
