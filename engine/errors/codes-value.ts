import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-value.json' with { type: 'json' };

/**
 * Error codes for submission values (runtime validation), all 422. Each message tells the person
 * filling the form how to fix the value; the runtime fills in limits (min, max …) where they apply.
 */
export const valueCodes = codeCatalogue(catalogue, 'engine/errors/codes-value.json');
