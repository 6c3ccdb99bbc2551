import { Type } from '@sinclair/typebox';
import { DateField } from '../../definition/form-schema.ts';
import { isDate } from '../../logic/dates.ts';
import { fail, okSlot } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

export const dateType: FieldTypeDefinition = {
  name: 'date',
  description: 'A real calendar date YYYY-MM-DD, optionally within min/max',
  options: Type.Pick(DateField, ['min', 'max']),
  compile(field) {
    const ok = okSlot();
    const min = typeof field.min === 'string' ? field.min : null;
    const max = typeof field.max === 'string' ? field.max : null;
    return (raw) => {
      const s = typeof raw === 'string' ? raw.trim() : null;
      if (s === null || !isDate(s)) return fail('NX_ERR_VALUE_DATE');
      // YYYY-MM-DD strings order like the dates they name.
      if (min !== null && s < min) return fail('NX_ERR_VALUE_MIN', { min });
      if (max !== null && s > max) return fail('NX_ERR_VALUE_MAX', { max });
      ok.value = s;
      return ok;
    };
  },
};
