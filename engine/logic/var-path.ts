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

/** True when every plain object would inherit `key` (`toString`, `hasOwnProperty` …). */
export function isInheritable(key: string): boolean {
  return key in Object.prototype;
}

/**
 * `d[key]` when it is an own property of `d`, otherwise undefined. For a plain object and a key
 * Object.prototype lacks, the property can only be own, so no separate ownership test is made;
 * anything else is tested before it is read, so no inherited getter ever runs.
 */
export function readOwn(d: unknown, key: string, inheritable: boolean): unknown {
  if (d === null || d === undefined) return undefined;
  if (!inheritable && typeof d === 'object') {
    const proto = Object.getPrototypeOf(d);
    if (proto === Object.prototype || proto === null) return (d as Record<string, unknown>)[key];
  }
  return Object.hasOwn(d as object, key) ? (d as Record<string, unknown>)[key] : undefined;
}

/** Walks `segments` from `root`; `notFound` when a step is missing (json-logic-js semantics). */
export function readPath(root: unknown, segments: readonly string[], notFound: unknown): unknown {
  let d = root;
  for (let i = 0; i < segments.length; i++) {
    if (d === null || d === undefined) return notFound;
    const seg = segments[i] as string;
    if (FORBIDDEN.has(seg)) return notFound;
    d = readOwn(d, seg, isInheritable(seg));
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
