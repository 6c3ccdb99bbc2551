import type { TSchema } from '@sinclair/typebox';
import type { Text } from '../../i18n.ts';

/** A field as the definition gives it; each type reads its own extra properties. */
export interface FieldSpec {
  readonly id: string;
  readonly type: string;
  readonly [property: string]: unknown;
}

/** What a checker may need besides the value: the date the submission is judged on. */
export interface FieldCheckEnv {
  readonly today: string;
}

export interface CheckOk {
  value: unknown;
}
export interface CheckFail {
  readonly code: string;
  readonly params?: Record<string, unknown>;
  /** The message in words (a plugin's own code); else the registry's message for `code`. */
  readonly message?: Text;
}
/** Either the coerced value or a value error code (`NX_ERR_VALUE_*`) with its parameters. */
export type CheckResult = CheckOk | CheckFail;

/**
 * Coerces and checks one non-empty raw value (never `undefined`, `null`, blank text or `[]`).
 * Built-in checkers reuse one result object for success, so read `value` before the next call.
 */
export type FieldChecker = (raw: unknown, env: FieldCheckEnv) => CheckResult;

/** A field type: built-in or added by a plugin. */
export interface FieldTypeDefinition {
  readonly name: string;
  readonly description?: string;
  /** TypeBox schema of the type's extra properties (beyond id, label, required …), for the loader. */
  readonly options: TSchema;
  /** Called once per field when a form is compiled. */
  compile(field: FieldSpec): FieldChecker;
}

export function isFail(r: CheckResult): r is CheckFail {
  return (r as CheckFail).code !== undefined;
}
