import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-definition.json' with { type: 'json' };

/** Error codes for definitions (loader problems). Every one is a client error: the definition is wrong. */
export const definitionCodes = codeCatalogue(catalogue, 'engine/errors/codes-definition.json');
