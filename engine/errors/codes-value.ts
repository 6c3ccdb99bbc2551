import type { CodeInfo } from './codes.ts';

/** Error codes for submission values (runtime validation). */
export const valueCodes = {} satisfies Record<string, CodeInfo>;
