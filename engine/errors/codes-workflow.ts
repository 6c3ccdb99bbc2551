import type { CodeInfo } from './codes.ts';

/** Error codes for workflow definitions and transitions. */
export const workflowCodes = {} satisfies Record<string, CodeInfo>;
