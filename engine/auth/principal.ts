import type { Permission, Role } from './roles.ts';

/** Who is calling: the user, the org unit whose subtree bounds every read and write, grants. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly orgCode: string;
  /** Materialised path of the user's org unit, e.g. `/510000/511900/511923/`. */
  readonly orgPath: string;
  readonly roles: readonly Role[];
  readonly permissions: readonly Permission[];
  readonly tokenId: string;
  readonly tokenKind: 'session' | 'api' | 'device';
}

export const hasRole = (p: Principal, ...roles: readonly Role[]): boolean =>
  roles.some((r) => p.roles.includes(r));
export const canSeePii = (p: Principal): boolean => p.permissions.includes('pii');
