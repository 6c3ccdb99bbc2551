import { Type } from '@sinclair/typebox';
import { OrgunitField } from '../../definition/form-schema.ts';
import { asText, fail, okSlot } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

/**
 * An administrative division code: 6 digits (GB/T 2260: province xx0000, city xxxx00, county),
 * 9 for a township, 12 for a village. `level` narrows which shape is accepted.
 */
const LEVELS: Record<string, RegExp> = {
  province: /^\d{2}0000$/,
  city: /^\d{2}(?!00)\d{2}00$/,
  county: /^\d{4}(?!00)\d{2}$/,
  township: /^\d{9}$/,
  village: /^\d{12}$/,
};
const ANY = /^(\d{6}|\d{9}|\d{12})$/;

export const orgunitType: FieldTypeDefinition = {
  name: 'orgunit',
  description: 'Administrative division code (6, 9 or 12 digits)',
  options: Type.Pick(OrgunitField, ['level']),
  compile(field) {
    const ok = okSlot();
    const level = typeof field.level === 'string' ? field.level : null;
    const re = (level !== null ? LEVELS[level] : undefined) ?? ANY;
    return (raw) => {
      const s = asText(raw);
      if (s === null || !re.test(s)) return fail('NX_ERR_VALUE_ORGUNIT', level ? { level } : undefined);
      ok.value = s;
      return ok;
    };
  },
};
