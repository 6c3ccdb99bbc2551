import { Type } from '@sinclair/typebox';
import { PhoneField } from '../../definition/form-schema.ts';
import { asText, fail, okSlot } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

const MOBILE = /^1[3-9]\d{9}$/;
/** Area code (0 + 2–3 digits), optional hyphen, 7–8 digits, optional extension. */
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

/** Mainland mobile or landline; spaces and a +86 prefix of a mobile number are removed. */
export const phoneType: FieldTypeDefinition = {
  name: 'phone',
  description: 'Mainland China mobile (11 digits) or landline (area code + number, optional extension)',
  options: Type.Pick(PhoneField, ['kind']),
  compile(field) {
    const ok = okSlot();
    const kind = field.kind === 'mobile' || field.kind === 'landline' ? field.kind : 'any';
    return (raw) => {
      const t = asText(raw);
      if (t === null) return fail('NX_ERR_VALUE_PHONE', { kind });
      let s = t.replace(/\s+/g, '');
      if (s.startsWith('+86')) s = s.slice(3);
      const mobile = kind !== 'landline' && MOBILE.test(s);
      if (!mobile && !(kind !== 'mobile' && LANDLINE.test(s))) return fail('NX_ERR_VALUE_PHONE', { kind });
      ok.value = s;
      return ok;
    };
  },
};
