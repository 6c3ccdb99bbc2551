/**
 * Calendar dates as `YYYY-MM-DD` strings, compared and counted without time zones: a date in a
 * form is a day on the calendar, not an instant.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Parses a real calendar date (no 2021-02-30), or null. */
export function parseDate(s: unknown): Ymd | null {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return { y, m: mo, d };
}

export function isDate(s: unknown): s is string {
  return parseDate(s) !== null;
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
