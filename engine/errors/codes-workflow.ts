import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-workflow.json' with { type: 'json' };

/** Error codes for workflow definitions (loader problems, 400), transitions (403/404/409/422), effects and cases in the store. */
export const workflowCodes = codeCatalogue(catalogue, 'engine/errors/codes-workflow.json');

export type WorkflowCode = keyof typeof workflowCodes;
