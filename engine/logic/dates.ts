/**
 * Calendar dates as `YYYY-MM-DD` strings, compared and counted without time zones: a date in a
 * form is a day on the calendar, not an instant.
 */

export interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Digits of `s` from `start` to `end` as a number, or -1 if one is not a digit. */
export function digits(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** True when year, month and day name a real calendar day. */
export function isRealDay(y: number, m: number, d: number): boolean {
  return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** True for a real calendar date written YYYY-MM-DD (no 2021-02-30). Allocates nothing. */
export function isDate(s: unknown): s is string {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return false;
  return isRealDay(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10));
}

/** Parses a real calendar date (no 2021-02-30), or null. */
export function parseDate(s: unknown): Ymd | null {
  if (!isDate(s)) return null;
  return { y: digits(s, 0, 4), m: digits(s, 5, 7), d: digits(s, 8, 10) };
}

/** Days since 1970-01-01 (proleptic Gregorian), for day differences. */
export function dayNumber(v: Ymd): number {
  return Math.round(Date.UTC(v.y, v.m - 1, v.d) / 86_400_000);
}

/** Whole months from `a` to `b`, truncated toward zero (2021-01-31 → 2021-02-28 is 0 months). */
export function monthsBetween(a: Ymd, b: Ymd): number {
  let months = (b.y - a.y) * 12 + (b.m - a.m);
  if (months > 0 && b.d < a.d) months -= 1;
  else if (months < 0 && b.d > a.d) months += 1;
  return months;
}

export type DateUnit = 'days' | 'months' | 'years';

/** Whole `unit`s from `from` to `to` (negative when `to` is earlier); null for a non-date. */
export function dateDiff(from: unknown, to: unknown, unit: DateUnit): number | null {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) return null;
  if (unit === 'days') return dayNumber(b) - dayNumber(a);
  const months = monthsBetween(a, b);
  return unit === 'months' ? months : Math.trunc(months / 12);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Today's date in China (UTC+8), the default "today" of submissions. */
export function todayInChina(now: number = Date.now()): string {
  const t = new Date(now + 8 * 3_600_000);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
}
