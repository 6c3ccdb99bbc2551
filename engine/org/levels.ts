/** The five levels of the administrative hierarchy, top down. */
export const ORG_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const isOrgLevel = (s: string): s is OrgLevel => (ORG_LEVELS as readonly string[]).includes(s);

/** Materialised path of a unit under its parent's path: `/510000/` + `510100` → `/510000/510100/`. */
export const childPath = (parentPath: string | null, code: string): string => `${parentPath ?? '/'}${code}/`;

/** True when `path` lies in the subtree rooted at `rootPath` (the root itself included). */
export const inSubtree = (path: string, rootPath: string): boolean => path.startsWith(rootPath);
