import type { CodeInfo } from './codes.ts';

/** Error codes for the HTTP API, auth and store. */
export const httpCodes = {} satisfies Record<string, CodeInfo>;
