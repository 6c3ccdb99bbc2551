import { type WorkflowCode, workflowCodes } from '../errors/codes-workflow.ts';
import { type ErrorDetail, NxError } from '../errors/nx-error.ts';
import type { Decision } from '../workflow/types.ts';

/** An NxError for a workflow code, with the registry's status and message. */
export function wfError(code: WorkflowCode, errors?: ErrorDetail[]): NxError {
  const info = workflowCodes[code];
  return new NxError(code, info.status, info.message, errors);
}

/** The refusal of a decision as the error the API answers with. */
export function refusalError(d: Extract<Decision, { ok: false }>): NxError {
  return new NxError(d.code, d.status, d.message, d.errors ? [...d.errors] : undefined);
}
