import type { Text } from '../i18n.ts';
import { type CodeTable, codes, type ErrorCode } from './codes.ts';
import { type ErrorDetail, NxError } from './nx-error.ts';

/** Makes an NxError of a code in its table: status and default message from the registry, never from the caller. */
export type ErrorHelper<K extends string> = (code: K, message?: Text, errors?: ErrorDetail[]) => NxError;

/**
 * The typed error helper of a code table. The engine has `nxError`; a plugin makes its own from
 * the table it registers (`definePlugin({ errors: TABLE })`), so a code outside the table does
 * not compile and the HTTP status is the registered one.
 *
 * @example const rulesError = defineErrors(RULES_CODES); throw rulesError('NX_ERR_RULES_NOT_FOUND');
 */
export function defineErrors<const C extends CodeTable>(table: C): ErrorHelper<keyof C & string> {
  return (code, message, errors) => {
    const info = table[code];
    if (!info) throw new TypeError(`Unregistered error code ${code}`);
    return new NxError(code, info.status, message ?? info.message, errors);
  };
}

/** An NxError of one of the engine's codes (any area), with the registered status. */
export const nxError: ErrorHelper<ErrorCode> = defineErrors(
  codes as Readonly<Record<ErrorCode, (typeof codes)[string]>>,
);
