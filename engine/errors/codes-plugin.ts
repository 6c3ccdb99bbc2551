import type { CodeInfo } from './codes.ts';

/** Error codes for the plugin host. */
export const pluginCodes = {} satisfies Record<string, CodeInfo>;
