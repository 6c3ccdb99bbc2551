import type { Text } from '../i18n.ts';
import { attachmentCodes } from './codes-attachment.ts';
import { definitionCodes } from './codes-definition.ts';
import { httpCodes } from './codes-http.ts';
import { logicCodes } from './codes-logic.ts';
import { pluginCodes } from './codes-plugin.ts';
import { storeCodes } from './codes-store.ts';
import { valueCodes } from './codes-value.ts';
import { workflowCodes } from './codes-workflow.ts';

/** A registered error: its HTTP status (where one applies) and its default message. */
export interface CodeInfo {
  status: number;
  message: Text;
}

/**
 * Every stable error code of the engine, `NX_ERR_<AREA>_<WHAT>`, in one registry.
 * Each area keeps its codes in its own file; `test/engine/errors/codes.test.ts` checks them all.
 */
const engineCodes = {
  ...valueCodes,
  ...logicCodes,
  ...definitionCodes,
  ...httpCodes,
  ...workflowCodes,
  ...pluginCodes,
  ...storeCodes,
  ...attachmentCodes,
};

export const codes: Readonly<Record<string, CodeInfo>> = engineCodes;

/** A code of the engine's own registry. */
export type ErrorCode = keyof typeof engineCodes;

/** A table of codes: the engine's areas, or a plugin's own (`definePlugin({ errors })`). */
export type CodeTable = Readonly<Record<string, CodeInfo>>;

/** The plugins' codes, by code, with the plugin that registered each (see `registerPluginCodes`). */
export const pluginCodeTables = new Map<string, { readonly pluginName: string; readonly info: CodeInfo }>();

/** A code's status and message: the engine's, else a loaded plugin's. */
export const codeInfo = (code: string): CodeInfo | undefined =>
  Object.hasOwn(codes, code) ? codes[code] : pluginCodeTables.get(code)?.info;
