/**
 * First path segments under `/api/` that the engine itself serves (or reserves for core work in
 * progress: tasks, audit, health). A plugin may not mount an area here, so a plugin can never
 * shadow or intercept a core route; `plugins` is the home of per-plugin routes.
 */
export const CORE_API_AREAS: readonly string[] = [
  'auth',
  'me',
  'org-units',
  'users',
  'tokens',
  'forms',
  'submissions',
  'tasks',
  'cases',
  'audit',
  'health',
  'plugins',
  'docs',
];

/** A lower-case kebab-case path segment, like plugin names. */
export const API_AREA = /^[a-z][a-z0-9-]*$/;
