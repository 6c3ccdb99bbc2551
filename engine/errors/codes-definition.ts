import type { CodeInfo } from './codes.ts';

/** Error codes for definitions (loader problems). */
export const definitionCodes = {} satisfies Record<string, CodeInfo>;
