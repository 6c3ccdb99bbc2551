import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-logic.json' with { type: 'json' };

/** Error codes of the expression language and of form compilation (definition → closures). */
export const logicCodes = codeCatalogue(catalogue, 'engine/errors/codes-logic.json');
