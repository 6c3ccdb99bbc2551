import type { FormDefinition } from '../definition/form-schema.ts';
import type { ErrorDetail } from '../errors/nx-error.ts';

/** A value error: `path` is a JSON pointer into the submission data, e.g. `/members/0/idNumber`. */
export type ValidationError = ErrorDetail;

export interface ValidateContext {
  /** Date the submission is judged on (ages, date limits), YYYY-MM-DD; defaults to today (UTC+8). */
  readonly today?: string;
  /** 'draft' skips required checks (drafts may be incomplete); 'submit' is the default. */
  readonly mode?: 'draft' | 'submit';
  /** Anything else rules may read as {"var":"ctx.<name>"}. */
  readonly [key: string]: unknown;
}

/** `data` is normalised: types coerced, hidden fields cleared, computed fields filled in. */
export interface ValidationResult {
  ok: boolean;
  data: Record<string, unknown>;
  errors: ValidationError[];
}

/** A definition compiled once into closures; `validate` never re-reads the definition. */
export interface CompiledForm {
  readonly definition: FormDefinition;
  validate(data: unknown, context?: ValidateContext): ValidationResult;
}
