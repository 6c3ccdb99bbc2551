import { hasRole, httpError, type Principal, type Role } from '../../engine/entry/server.ts';

/** Civil affairs: fixes who and how much. */
export const CIVIL_AFFAIRS: readonly Role[] = ['admin', 'reviewer'];
/** Everyone who may read batches and their lines (the bank: only those addressed to it, once approved). */
export const BATCH_READERS: readonly Role[] = ['admin', 'reviewer', 'finance', 'bank', 'hrss', 'viewer'];
export const CARD_READERS: readonly Role[] = ['admin', 'reviewer', 'hrss'];

/**
 * Who may do what with payments — the four parties of the seed. The HTTP routes and the CLI
 * check the same table.
 */
export const PAYMENT_ROLES = {
  generate: CIVIL_AFFAIRS,
  read: BATCH_READERS,
  decide: ['finance'],
  bankFile: ['bank'],
  returnFile: ['bank'],
  readCards: CARD_READERS,
  writeCards: ['hrss'],
} as const satisfies Record<string, readonly Role[]>;

export type PaymentAction = keyof typeof PAYMENT_ROLES;

/** The principal if one of its roles may do `action`; else the same 403 the routes answer. */
export function requirePaymentRole(p: Principal, action: PaymentAction): Principal {
  if (!hasRole(p, ...PAYMENT_ROLES[action])) throw httpError('NX_ERR_HTTP_FORBIDDEN');
  return p;
}
