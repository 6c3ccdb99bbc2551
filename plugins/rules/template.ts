import { roundDecimal } from '../../engine/entry/runtime.ts';

/**
 * Reason texts: `{{name}}` or `{{path.to.value}}` placeholders, nothing else (no helpers, no
 * HTML, no code). Output is plain text; whoever shows it in a page escapes it like any text.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Every path a template names, e.g. `['perCapitaMonthlyIncome', 'standard']`. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

function lookup(scope: unknown, path: readonly string[]): unknown {
  let cur: unknown = scope;
  for (const seg of path) {
    if (FORBIDDEN.has(seg) || cur === null || typeof cur !== 'object') return undefined;
    cur = Object.hasOwn(cur, seg) ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return cur;
}

/** A value as a reviewer reads it: money to at most 2 decimals, lists joined by 、, nothing as —. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isFinite(v) ? String(roundDecimal(v, 2)) : '—';
  if (typeof v === 'boolean') return v ? '是/yes' : '否/no';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map(formatValue).join('、');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * A template compiled once into a function of the scope: the text split at its placeholders and
 * each placeholder's path split at its dots, so rendering only looks values up and joins.
 */
export function compileTemplate(template: string): (scope: unknown) => string {
  const texts: string[] = [];
  const paths: string[][] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    texts.push(template.slice(last, m.index));
    paths.push((m[1] as string).split('.'));
    last = m.index + m[0].length;
  }
  const tail = template.slice(last);
  if (paths.length === 0) return () => tail;
  return (scope) => {
    let out = '';
    for (let i = 0; i < paths.length; i++) out += texts[i] + formatValue(lookup(scope, paths[i] as string[]));
    return out + tail;
  };
}

/** Replaces each placeholder with the formatted value at its path in `scope`. */
export function renderTemplate(template: string, scope: unknown): string {
  return compileTemplate(template)(scope);
}
