/**
 * The public API of the Nuanxin engine. Plugins (built-in and third-party) import from here
 * and nowhere else inside `engine/`; a test enforces it.
 */
export type {
  Constraint,
  Field,
  FormDefinition,
  GroupField,
  Option,
  ScalarField,
  Section,
  TableField,
} from './definition/form-schema.ts';
export { FIELD_TYPES, FormDefinition as FormDefinitionSchema } from './definition/form-schema.ts';
export type { CodeInfo } from './errors/codes.ts';
export { codes } from './errors/codes.ts';
export type { ErrorDetail } from './errors/nx-error.ts';
export { NxError } from './errors/nx-error.ts';
export type { Locale } from './i18n.ts';
export { Text, text } from './i18n.ts';
export type { Evaluator, LogicEnv, OperationDefinition, OperationRegistry } from './logic/types.ts';
export type { CompiledForm, ValidateContext, ValidationError, ValidationResult } from './runtime/types.ts';
