import type { Text } from '../i18n.ts';

/**
 * One thing wrong with a definition: where it is (file and JSON pointer), a stable code from
 * `codes-definition.ts`, what is wrong and how to fix it — both in zh-CN and English.
 */
export interface Problem {
  file?: string;
  /** RFC 6901 JSON pointer into the definition, e.g. `/sections/0/fields/2/options/1/value`. */
  pointer: string;
  code: string;
  message: Text;
  hint: Text;
  /** Facts behind the message (names, limits, the cycle …) for tools that want them. */
  params?: Record<string, unknown>;
}

/** The outcome of loading a definition: the value, or every problem found (never only the first). */
export type LoadResult<T> = { ok: true; value: T; problems: [] } | { ok: false; problems: Problem[] };

/** Builds a Problem; `file` is attached only when known so that output stays tidy. */
export function problem(
  code: string,
  pointer: string,
  message: Text,
  hint: Text,
  extra?: { file?: string | undefined; params?: Record<string, unknown> },
): Problem {
  const p: Problem = { pointer, code, message, hint };
  if (extra?.file !== undefined) p.file = extra.file;
  if (extra?.params !== undefined) p.params = extra.params;
  return p;
}

/** Result helpers so callers never build the union by hand. */
export const loaded = <T>(value: T): LoadResult<T> => ({ ok: true, value, problems: [] });
export const rejected = <T>(problems: Problem[]): LoadResult<T> => ({ ok: false, problems });

/** Escapes one reference token (RFC 6901: `~` → `~0`, `/` → `~1`). */
export const escapeToken = (token: string | number): string =>
  String(token).replaceAll('~', '~0').replaceAll('/', '~1');

/** Appends tokens to a pointer: `childPointer('/sections/0', 'fields', 3)` → `/sections/0/fields/3`. */
export const childPointer = (base: string, ...tokens: (string | number)[]): string =>
  base + tokens.map((t) => `/${escapeToken(t)}`).join('');

/** Orders problems by file, then pointer, so that output is stable and reads top to bottom. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      comparePointers(a.pointer, b.pointer) ||
      a.code.localeCompare(b.code),
  );
}

/** Compares pointers token by token, numbers numerically, so `/fields/10` sorts after `/fields/9`. */
function comparePointers(a: string, b: string): number {
  const ta = a.split('/');
  const tb = b.split('/');
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i] ?? '';
    const y = tb[i] ?? '';
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}
