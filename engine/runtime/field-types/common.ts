import type { CheckFail, CheckOk } from './types.ts';

/** A success slot a checker reuses on every call (no allocation on the happy path). */
export function okSlot(): CheckOk {
  return { value: undefined };
}

export const fail = (code: string, params?: Record<string, unknown>): CheckFail =>
  params ? { code, params } : { code };

export const TYPE = 'NX_ERR_VALUE_TYPE';

/** The characters String.prototype.trim removes (WhiteSpace and LineTerminator, incl. U+3000). */
function isTrimmed(c: number): boolean {
  return (
    c <= 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `s.trim()`, but the same string (no copy) when there is nothing to trim. */
export function trimmed(s: string): string {
  const n = s.length;
  return n > 0 && (isTrimmed(s.charCodeAt(0)) || isTrimmed(s.charCodeAt(n - 1))) ? s.trim() : s;
}

/** Text from a string or a number (numbers typed into text boxes), trimmed; null for anything else. */
export function asText(raw: unknown): string | null {
  if (typeof raw === 'string') return trimmed(raw);
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return null;
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/** A finite number from a number or a numeric string; `grouped` allows '1,234.50'. */
export function asNumber(raw: unknown, grouped: boolean): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  let s = raw.trim();
  if (grouped && GROUPED_NUMBER.test(s)) s = s.replace(/,/g, '');
  if (!PLAIN_NUMBER.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Length in characters (code points), so one Chinese character or emoji counts once. */
export function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** The numeric range check shared by integer, number and money. */
export function rangeCheck(min: unknown, max: unknown): (n: number) => CheckFail | null {
  const lo = typeof min === 'number' ? min : null;
  const hi = typeof max === 'number' ? max : null;
  if (lo === null && hi === null) return () => null;
  return (n) => {
    if (lo !== null && n < lo) return fail('NX_ERR_VALUE_MIN', { min: lo });
    if (hi !== null && n > hi) return fail('NX_ERR_VALUE_MAX', { max: hi });
    return null;
  };
}
