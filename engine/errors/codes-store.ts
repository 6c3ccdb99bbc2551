import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-store.json' with { type: 'json' };

/** Error codes of the store: the database cannot take a write (disk full, read-only file, I/O error). */
export const storeCodes = codeCatalogue(catalogue, 'engine/errors/codes-store.json');

export type StoreCode = keyof typeof storeCodes;
