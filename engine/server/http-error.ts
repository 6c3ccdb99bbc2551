import { type HttpCode, httpCodes } from '../errors/codes-http.ts';
import { type ErrorDetail, NxError } from '../errors/nx-error.ts';

/** An NxError for a registered HTTP code, with its status and bilingual message from the registry. */
export function httpError(code: HttpCode, errors?: ErrorDetail[]): NxError {
  const info = httpCodes[code];
  return new NxError(code, info.status, info.message, errors);
}

/** The one answer for "outside your subtree" and "does not exist": they must not be told apart. */
export const notFound = (): NxError => httpError('NX_ERR_HTTP_NOT_FOUND');
