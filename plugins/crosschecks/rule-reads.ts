import { collectVars, type OperationRegistry } from '../../engine/entry/runtime.ts';
import type { ComparisonRule } from './comparison-schema.ts';

/**
 * What a comparison's rules read of a joined row: the list columns and register properties named
 * in their conditions and compared values (`all` when a rule reads a whole root, `{"var":"list"}`,
 * or computes a path, `{"var":{"cat":…}}`), and whether one needs the household's benefits. A run
 * selects only these columns from the join.
 */
export interface RuleReads {
  readonly list: ReadonlySet<string> | 'all';
  readonly register: ReadonlySet<string> | 'all';
  readonly benefits: boolean;
}

/** True when a `var` somewhere in the rule is computed or reads the whole data. */
function readsUnknown(rule: unknown): boolean {
  if (Array.isArray(rule)) return rule.some(readsUnknown);
  if (rule === null || typeof rule !== 'object') return false;
  for (const [op, arg] of Object.entries(rule)) {
    if (op === 'var') {
      const first = Array.isArray(arg) ? arg[0] : arg;
      if (first === '' || first === null || first === undefined || typeof first === 'object') return true;
    }
    if (readsUnknown(arg)) return true;
  }
  return false;
}

export function readsOf(rules: readonly ComparisonRule[], operations?: OperationRegistry): RuleReads {
  let all = false;
  const list = new Set<string>();
  const register = new Set<string>();
  let benefits = false;
  for (const rule of rules) {
    if (rule.needs?.includes('benefits')) benefits = true;
    if (readsUnknown(rule.when)) all = true;
    for (const path of [...collectVars(rule.when, operations), ...rule.compare]) {
      const dot = path.indexOf('.');
      const root = dot < 0 ? path : path.slice(0, dot);
      const name = dot < 0 ? '' : (path.slice(dot + 1).split('.')[0] ?? '');
      if (root === 'benefits') benefits = true;
      const into = root === 'list' ? list : root === 'register' ? register : undefined;
      if (!into) continue;
      if (name === '') all = true;
      else into.add(name);
    }
  }
  return all ? { list: 'all', register: 'all', benefits } : { list, register, benefits };
}
