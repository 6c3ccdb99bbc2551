import type { LogicEnv } from './types.ts';

/**
 * Reading `{"var": "a.b.0"}` safely. Only own properties are read and the segments `__proto__`,
 * `constructor` and `prototype` are refused, so no rule can reach a prototype, a function or a
 * global, whatever data it is given.
 */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenSegment(seg: string): boolean {
  return FORBIDDEN.has(seg);
}

export type Scope = 'data' | 'row' | 'ctx';

/** Where a path is read from: `row.x` the current table row, `ctx.x` the context, otherwise the data. */
export interface ScopedPath {
  readonly scope: Scope;
  readonly segments: readonly string[];
}

export function splitPath(path: string): ScopedPath {
  if (path.startsWith('row.')) return { scope: 'row', segments: path.slice(4).split('.') };
  if (path.startsWith('ctx.')) return { scope: 'ctx', segments: path.slice(4).split('.') };
  return { scope: 'data', segments: path.split('.') };
}

export function scopeRoot(env: LogicEnv, scope: Scope): unknown {
  return scope === 'data' ? env.data : scope === 'row' ? env.row : env.ctx;
}

/** Walks `segments` from `root`; `notFound` when a step is missing (json-logic-js semantics). */
export function readPath(root: unknown, segments: readonly string[], notFound: unknown): unknown {
  let d = root;
  for (let i = 0; i < segments.length; i++) {
    if (d === null || d === undefined) return notFound;
    const seg = segments[i] as string;
    if (FORBIDDEN.has(seg) || !Object.hasOwn(d as object, seg)) return notFound;
    d = (d as Record<string, unknown>)[seg];
    if (d === undefined) return notFound;
  }
  return d;
}

/** `{"var": path}` evaluated at run time (for dynamic paths and `missing`). */
export function resolveVar(env: LogicEnv, path: unknown, notFound: unknown): unknown {
  if (path === undefined || path === '' || path === null) return env.data;
  const p = splitPath(String(path));
  return readPath(scopeRoot(env, p.scope), p.segments, notFound);
}
