import { Type } from '@sinclair/typebox';
import { TextField } from '../../definition/form-schema.ts';
import { NxError } from '../../errors/nx-error.ts';
import { compileFieldPattern, isPatternFault, MAX_PATTERN_INPUT } from '../pattern.ts';
import { asText, charLength, fail, okSlot, TYPE } from './common.ts';
import type { FieldChecker, FieldSpec, FieldTypeDefinition } from './types.ts';

/**
 * Shared by text and textarea: trimmed string, length in characters, unanchored pattern on the
 * linear-time engine (see pattern.ts); a value longer than MAX_PATTERN_INPUT is not matched but
 * refused as too long. A pattern the loader would refuse throws here.
 */
export function compileTextChecker(field: FieldSpec): FieldChecker {
  const ok = okSlot();
  const minLength = typeof field.minLength === 'number' ? field.minLength : 0;
  const maxLength = typeof field.maxLength === 'number' ? field.maxLength : Number.POSITIVE_INFINITY;
  const re = typeof field.pattern === 'string' ? compileFieldPattern(field.pattern) : null;
  if (re !== null && isPatternFault(re)) {
    throw new NxError('NX_ERR_DEF_BAD_REGEX', 400, {
      'zh-CN': `字段“${field.id}”的正则表达式无法使用：${re.detail}`,
      en: `The pattern of field "${field.id}" cannot be used: ${re.detail}`,
    });
  }
  const pattern = field.pattern;
  return (raw) => {
    const s = asText(raw);
    if (s === null) return fail(TYPE, { expected: 'text' });
    if (minLength > 0 || maxLength !== Number.POSITIVE_INFINITY) {
      const n = charLength(s);
      if (n < minLength) return fail('NX_ERR_VALUE_MIN_LENGTH', { minLength });
      if (n > maxLength) return fail('NX_ERR_VALUE_MAX_LENGTH', { maxLength });
    }
    if (re !== null) {
      if (s.length > MAX_PATTERN_INPUT)
        return fail('NX_ERR_VALUE_MAX_LENGTH', { maxLength: MAX_PATTERN_INPUT });
      if (!re.test(s)) return fail('NX_ERR_VALUE_PATTERN', { pattern });
    }
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
