import { Type } from '@sinclair/typebox';
import { MoneyField } from '../../definition/form-schema.ts';
import { roundDecimal } from '../../logic/decimal.ts';
import { asNumber, fail, okSlot, rangeCheck, TYPE } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

/** Yuan, rounded half up to the fen in decimal (1.005 → 1.01); '1,234.50' is accepted. */
export const moneyType: FieldTypeDefinition = {
  name: 'money',
  description: 'Amount in yuan, rounded to fen (2 decimals) without float drift',
  options: Type.Pick(MoneyField, ['min', 'max']),
  compile(field) {
    const ok = okSlot();
    const range = rangeCheck(field.min, field.max);
    return (raw) => {
      const n = asNumber(raw, true);
      if (n === null) return fail(TYPE, { expected: 'money' });
      const yuan = roundDecimal(n, 2);
      const bad = range(yuan);
      if (bad) return bad;
      ok.value = yuan;
      return ok;
    };
  },
};
