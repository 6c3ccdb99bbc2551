import { Type } from '@sinclair/typebox';
import { NumberField } from '../../definition/form-schema.ts';
import { roundDecimal } from '../../logic/decimal.ts';
import { asNumber, fail, okSlot, rangeCheck, TYPE } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

export const numberType: FieldTypeDefinition = {
  name: 'number',
  description: 'Decimal number; rounded half away from zero to `decimals` places when given',
  options: Type.Pick(NumberField, ['min', 'max', 'decimals']),
  compile(field) {
    const ok = okSlot();
    const range = rangeCheck(field.min, field.max);
    const decimals = typeof field.decimals === 'number' ? field.decimals : null;
    return (raw) => {
      let n = asNumber(raw, false);
      if (n === null) return fail(TYPE, { expected: 'number' });
      if (decimals !== null) n = roundDecimal(n, decimals);
      const bad = range(n);
      if (bad) return bad;
      ok.value = n;
      return ok;
    };
  },
};
