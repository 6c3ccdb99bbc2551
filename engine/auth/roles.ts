/**
 * Roles a user may hold; what each may do is decided where the action is (routes). `service`
 * marks an integration account: it takes no workflow action, and admins of its area may issue
 * API tokens for it (every other token is its holder's own).
 */
export const ROLES = ['admin', 'field_staff', 'reviewer', 'finance', 'bank', 'viewer', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Permissions beside roles: `pii` shows ID numbers and phones whole instead of masked. */
export const PERMISSIONS = ['pii'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** Roles that may create and edit submissions. */
export const WRITER_ROLES: readonly Role[] = ['admin', 'field_staff', 'reviewer'];
/** Roles that may delete submissions. */
export const DELETER_ROLES: readonly Role[] = ['admin', 'reviewer'];

/** A service account (integrations): never a workflow actor, whatever else it holds. */
export const isServiceAccount = (roles: readonly string[]): boolean => roles.includes('service');
