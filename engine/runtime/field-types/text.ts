import { Type } from '@sinclair/typebox';
import { TextField } from '../../definition/form-schema.ts';
import { asText, charLength, fail, okSlot, TYPE } from './common.ts';
import type { FieldChecker, FieldSpec, FieldTypeDefinition } from './types.ts';

/** Shared by text and textarea: trimmed string, length in characters, unanchored unicode pattern. */
export function compileTextChecker(field: FieldSpec): FieldChecker {
  const ok = okSlot();
  const minLength = typeof field.minLength === 'number' ? field.minLength : 0;
  const maxLength = typeof field.maxLength === 'number' ? field.maxLength : Number.POSITIVE_INFINITY;
  const re = typeof field.pattern === 'string' ? new RegExp(field.pattern, 'u') : null;
  const pattern = field.pattern;
  return (raw) => {
    const s = asText(raw);
    if (s === null) return fail(TYPE, { expected: 'text' });
    if (minLength > 0 || maxLength !== Number.POSITIVE_INFINITY) {
      const n = charLength(s);
      if (n < minLength) return fail('NX_ERR_VALUE_MIN_LENGTH', { minLength });
      if (n > maxLength) return fail('NX_ERR_VALUE_MAX_LENGTH', { maxLength });
    }
    if (re !== null && !re.test(s)) return fail('NX_ERR_VALUE_PATTERN', { pattern });
    ok.value = s;
    return ok;
  };
}

export const textType: FieldTypeDefinition = {
  name: 'text',
  description: 'Single-line text',
  options: Type.Pick(TextField, ['minLength', 'maxLength', 'pattern']),
  compile: compileTextChecker,
};
