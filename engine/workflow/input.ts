import { workflowCodes } from '../errors/codes-workflow.ts';
import type { ErrorDetail } from '../errors/nx-error.ts';
import { text } from '../i18n.ts';
import { isCalendarDate } from './duration.ts';
import type { Input } from './workflow-schema.ts';

/** Every action takes an optional free comment, recorded with the transition, unless it declares its own. */
export const COMMENT_INPUT: Input = {
  id: 'comment',
  type: 'text',
  label: text('意见', 'Comment'),
  required: false,
};

const MAX_TEXT = 2000;

/** The inputs an action accepts: its declared ones plus the implicit comment. */
export function inputsOf(declared: readonly Input[]): readonly Input[] {
  return declared.some((i) => i.id === COMMENT_INPUT.id) ? declared : [...declared, COMMENT_INPUT];
}

const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Reads a number from a JSON number or a numeric string (HTML forms send strings). */
function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** Normalises one value, or says why it does not fit. */
function coerce(input: Input, v: unknown): { ok: true; value: unknown } | { ok: false; why: string } {
  switch (input.type) {
    case 'text':
      return typeof v === 'string' && v.length <= MAX_TEXT
        ? { ok: true, value: v.trim() }
        : { ok: false, why: `text up to ${MAX_TEXT} characters` };
    case 'money': {
      const n = toNumber(v);
      if (n === undefined || n < 0) return { ok: false, why: 'an amount in yuan, not negative' };
      const fen = Math.round(n * 100);
      return Math.abs(n * 100 - fen) < 1e-6
        ? { ok: true, value: fen / 100 }
        : { ok: false, why: 'at most 2 decimals (fen)' };
    }
    case 'integer': {
      const n = toNumber(v);
      return n !== undefined && Number.isInteger(n)
        ? { ok: true, value: n }
        : { ok: false, why: 'a whole number' };
    }
    case 'date':
      return typeof v === 'string' && isCalendarDate(v)
        ? { ok: true, value: v }
        : { ok: false, why: 'a date YYYY-MM-DD' };
  }
}

/**
 * Checks what an actor filled in against the action's inputs: required ones present, types right,
 * nothing undeclared. Returns the normalised values or the errors (paths `/input/<id>`).
 */
export function checkInput(
  declared: readonly Input[],
  given: Readonly<Record<string, unknown>>,
): { ok: true; values: Record<string, unknown> } | { ok: false; code: string; errors: ErrorDetail[] } {
  const inputs = inputsOf(declared);
  const errors: ErrorDetail[] = [];
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!inputs.some((i) => i.id === key)) {
      errors.push({
        path: `/input/${key}`,
        code: 'NX_ERR_WF_INPUT_UNKNOWN',
        message: workflowCodes.NX_ERR_WF_INPUT_UNKNOWN.message,
      });
    }
  }
  for (const input of inputs) {
    const v = Object.hasOwn(given, input.id) ? given[input.id] : undefined;
    if (isBlank(v)) {
      if (input.required) {
        errors.push({
          path: `/input/${input.id}`,
          code: 'NX_ERR_WF_INPUT_REQUIRED',
          message: workflowCodes.NX_ERR_WF_INPUT_REQUIRED.message,
          params: { label: input.label },
        });
      }
      continue;
    }
    const r = coerce(input, v);
    if (r.ok) values[input.id] = r.value;
    else {
      errors.push({
        path: `/input/${input.id}`,
        code: 'NX_ERR_WF_INPUT_INVALID',
        message: workflowCodes.NX_ERR_WF_INPUT_INVALID.message,
        params: { label: input.label, expected: r.why, type: input.type },
      });
    }
  }
  if (errors.length === 0) return { ok: true, values };
  // One code for the whole answer: a missing value is the more basic failure.
  const code = errors.find((e) => e.code === 'NX_ERR_WF_INPUT_REQUIRED')?.code ?? errors[0]!.code;
  return { ok: false, code, errors };
}
