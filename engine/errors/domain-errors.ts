import { type HttpCode, httpCodes } from './codes-http.ts';
import { type ErrorDetail, NxError } from './nx-error.ts';

/**
 * Errors the domain (submissions, workflow store, auth, forms) throws for a request it refuses:
 * a registered code with its status and bilingual message from the registry. It lives with the
 * codes, not in `server/`, so domain code imports nothing from the HTTP layer; `server/http-error.ts`
 * re-exports it under the same names.
 */
export function httpError(code: HttpCode, errors?: ErrorDetail[]): NxError {
  const info = httpCodes[code];
  return new NxError(code, info.status, info.message, errors);
}

/** The one answer for "outside your subtree" and "does not exist": they must not be told apart. */
export const notFound = (): NxError => httpError('NX_ERR_HTTP_NOT_FOUND');
