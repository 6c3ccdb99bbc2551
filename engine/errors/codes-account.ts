import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-account.json' with { type: 'json' };

/** Error codes for accounts and credentials: login throttling, hashing load, password policy, account changes. */
export const accountCodes = codeCatalogue(catalogue, 'engine/errors/codes-account.json');
