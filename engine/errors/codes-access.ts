import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-access.json' with { type: 'json' };

/** Error codes of grants, tokens, form ownership and personal-data filters (docs/security.md). */
export const accessCodes = codeCatalogue(catalogue, 'engine/errors/codes-access.json');
