import { codeCatalogue } from './code-catalogue.ts';
import { accessCodes } from './codes-access.ts';
import { accountCodes } from './codes-account.ts';
import catalogue from './codes-http.json' with { type: 'json' };

/** Error codes for the HTTP API, auth and store, with those of accounts and of access. */
export const httpCodes = {
  ...accountCodes,
  ...accessCodes,
  ...codeCatalogue(catalogue, 'engine/errors/codes-http.json'),
};

export type HttpCode = keyof typeof httpCodes;
