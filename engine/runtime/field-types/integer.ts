import { Type } from '@sinclair/typebox';
import { IntegerField } from '../../definition/form-schema.ts';
import { asNumber, fail, okSlot, rangeCheck, TYPE } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

export const integerType: FieldTypeDefinition = {
  name: 'integer',
  description: 'Whole number; numeric text is accepted',
  options: Type.Pick(IntegerField, ['min', 'max']),
  compile(field) {
    const ok = okSlot();
    const range = rangeCheck(field.min, field.max);
    return (raw) => {
      const n = asNumber(raw, false);
      if (n === null || !Number.isSafeInteger(n)) return fail(TYPE, { expected: 'integer' });
      const bad = range(n);
      if (bad) return bad;
      ok.value = n;
      return ok;
    };
  },
};
