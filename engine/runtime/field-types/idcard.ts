import { Type } from '@sinclair/typebox';
import { idcardProblem } from '../../logic/idcard.ts';
import { asText, fail, okSlot } from './common.ts';
import type { FieldTypeDefinition } from './types.ts';

const CODES = {
  format: 'NX_ERR_VALUE_IDCARD_FORMAT',
  checksum: 'NX_ERR_VALUE_IDCARD_CHECKSUM',
  birthdate: 'NX_ERR_VALUE_IDCARD_BIRTHDATE',
} as const;

/** An 18-digit resident ID number; stored with an upper-case X. */
export const idcardType: FieldTypeDefinition = {
  name: 'idcard',
  description: '18-digit resident ID number (GB 11643 check digit, real birth date)',
  options: Type.Object({}),
  compile() {
    const ok = okSlot();
    return (raw, env) => {
      const s = asText(raw);
      if (s === null) return fail(CODES.format);
      const problem = idcardProblem(s, env.today);
      if (problem !== null) return fail(CODES[problem]);
      ok.value = s.length === 18 && s[17] === 'x' ? `${s.slice(0, 17)}X` : s;
      return ok;
    };
  },
};
