import { Type } from '@sinclair/typebox';
import { MultiselectField } from '../../definition/form-schema.ts';
import { fail, okSlot, TYPE } from './common.ts';
import { lookupOption, optionIndex } from './select.ts';
import type { FieldTypeDefinition } from './types.ts';

/** Tick boxes: an array of distinct option values (a single value counts as one tick). */
export const multiselectType: FieldTypeDefinition = {
  name: 'multiselect',
  description: 'Any number of distinct values from a list of options',
  options: Type.Pick(MultiselectField, ['options', 'minItems', 'maxItems']),
  compile(field) {
    const ok = okSlot();
    const index = optionIndex(field);
    const allowed = [...index.values()];
    const minItems = typeof field.minItems === 'number' ? field.minItems : 0;
    const maxItems = typeof field.maxItems === 'number' ? field.maxItems : Number.POSITIVE_INFINITY;
    return (raw) => {
      const list: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'object' ? [] : [raw];
      if (list.length === 0) return fail(TYPE, { expected: 'array' });
      const out: (string | number)[] = [];
      for (let i = 0; i < list.length; i++) {
        const v = lookupOption(index, list[i]);
        if (v === undefined) return fail('NX_ERR_VALUE_OPTION', { allowed, index: i });
        if (out.includes(v)) return fail('NX_ERR_VALUE_DUPLICATE', { value: v });
        out.push(v);
      }
      if (out.length < minItems) return fail('NX_ERR_VALUE_MIN_ITEMS', { minItems });
      if (out.length > maxItems) return fail('NX_ERR_VALUE_MAX_ITEMS', { maxItems });
      ok.value = out;
      return ok;
    };
  },
};
