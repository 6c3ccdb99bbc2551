import type { Principal } from './principal.ts';
import type { Permission, Role } from './roles.ts';

/** What a user account would hold: its roles, its permissions and where it sits in the org tree. */
export interface Grant {
  readonly roles: readonly Role[];
  readonly permissions: readonly Permission[];
  /** Materialised path of the account's org unit. */
  readonly orgPath: string;
}

/**
 * Whether `granter` may hand out `grant` (create or change an account that holds it, or act
 * through a token of one): every role and permission it holds itself, at its own org unit or
 * below. Nobody grants more than they hold, nor above their own level (OWASP ASVS 8.2.1).
 */
export function canGrant(granter: Principal, grant: Grant): boolean {
  return (
    grant.orgPath.startsWith(granter.orgPath) &&
    // `service` only takes power away (no workflow actions), so any admin may mark an account with it.
    grant.roles.every((r) => r === 'service' || granter.roles.includes(r)) &&
    grant.permissions.every((p) => granter.permissions.includes(p))
  );
}
