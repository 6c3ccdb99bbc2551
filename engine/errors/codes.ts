import type { Text } from '../i18n.ts';
import { definitionCodes } from './codes-definition.ts';
import { httpCodes } from './codes-http.ts';
import { logicCodes } from './codes-logic.ts';
import { pluginCodes } from './codes-plugin.ts';
import { registerCodes } from './codes-registers.ts';
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
export const codes: Readonly<Record<string, CodeInfo>> = {
  ...valueCodes,
  ...logicCodes,
  ...definitionCodes,
  ...httpCodes,
  ...workflowCodes,
  ...pluginCodes,
  ...storeCodes,
  ...registerCodes,
};

export type ErrorCode = keyof typeof codes;
