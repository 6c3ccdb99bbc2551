import { defaultOperationRegistry } from './registry.ts';
import type { OperationRegistry } from './types.ts';

/**
 * Every `var` path a rule reads at the top scope, in order of first appearance, for dependency
 * ordering and for the loader's "unknown field" check. Paths inside an item scope (the rule of
 * map/filter/reduce/all/none/some/count) read the item and are left out, except `row.` and `ctx.`
 * paths, which read the same row and context at any depth. Constant keys of `missing` and
 * `missing_some` count as reads. A computed path (`{"var":{"cat":…}}`) cannot be known; the
 * paths it is computed from are reported. `{"var":""}` (the whole data) is not reported.
 */
export function collectVars(
  rule: unknown,
  registry: OperationRegistry = defaultOperationRegistry(),
): string[] {
  const out = new Set<string>();
  walk(rule, false, registry, out);
  return [...out];
}

function addPath(p: unknown, inItem: boolean, out: Set<string>): void {
  if (p === null || p === undefined || typeof p === 'object' || p === '') return;
  const s = String(p);
  if (!inItem || s.startsWith('row.') || s.startsWith('ctx.')) out.add(s);
}

function walk(rule: unknown, inItem: boolean, registry: OperationRegistry, out: Set<string>): void {
  if (Array.isArray(rule)) {
    for (const r of rule) walk(r, inItem, registry, out);
    return;
  }
  if (rule === null || typeof rule !== 'object') return;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return;
  const op = keys[0] as string;
  const raw = (rule as Record<string, unknown>)[op];
  const values = Array.isArray(raw) ? raw : [raw];
  if (op === 'var') {
    addPath(values[0], inItem, out);
    for (const v of values) walk(v, inItem, registry, out);
    return;
  }
  if (op === 'missing' || op === 'missing_some') {
    const keysArg = op === 'missing' ? (Array.isArray(values[0]) ? values[0] : values) : values[1];
    if (Array.isArray(keysArg)) for (const k of keysArg) addPath(k, inItem, out);
  }
  const scoped = registry.get(op)?.scopedArgs ?? [];
  values.forEach((v, i) => {
    walk(v, inItem || scoped.includes(i), registry, out);
  });
}
