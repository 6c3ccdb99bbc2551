import { Type } from '@sinclair/typebox';
import { TextareaField } from '../../definition/form-schema.ts';
import { compileTextChecker } from './text.ts';
import type { FieldTypeDefinition } from './types.ts';

export const textareaType: FieldTypeDefinition = {
  name: 'textarea',
  description: 'Multi-line text',
  options: Type.Pick(TextareaField, ['minLength', 'maxLength', 'pattern']),
  compile: compileTextChecker,
};
