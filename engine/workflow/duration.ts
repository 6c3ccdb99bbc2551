/**
 * ISO 8601 durations and calendar arithmetic for timers and deadlines.
 *
 * Calendar units (years, months, days) are added on the wall clock of China Standard Time
 * (UTC+8, no daylight saving), so `P1M` from 31 January ends on the last day of February and
 * `P1D` from 23:30 ends at 23:30 the next day. Clock units (hours, minutes, seconds) are exact.
 */

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** UTC+8 in minutes: the offset on whose calendar days and months are counted. */
export const CHINA_OFFSET_MINUTES = 480;

const DURATION_RE = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Parses `P7D`, `PT12H`, `P1M`, `P1Y2M10DT2H30M` … (whole numbers only: a fraction of a month
 * has no calendar meaning). Returns null for anything else, including `P`, `PT` and `P1DT`.
 */
export function parseDuration(s: string): Duration | null {
  const m = DURATION_RE.exec(s);
  if (!m) return null;
  if (s.endsWith('T')) return null;
  const parts = m.slice(1);
  if (parts.every((p) => p === undefined)) return null;
  const n = (i: number): number => (parts[i] === undefined ? 0 : Number(parts[i]));
  return { years: n(0), months: n(1), weeks: n(2), days: n(3), hours: n(4), minutes: n(5), seconds: n(6) };
}

const DAY_MS = 86_400_000;

/** Days in a month (month 0–11) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * Adds a duration to an instant (ISO 8601 string or Date); returns the ISO string (UTC).
 * Example: `addDuration('2021-01-31T02:00:00Z', 'P1M')` → `'2021-02-28T02:00:00.000Z'`.
 */
export function addDuration(
  at: string | Date,
  duration: string | Duration,
  offsetMinutes = CHINA_OFFSET_MINUTES,
): string {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (!d) throw new RangeError(`Not an ISO 8601 duration: ${String(duration)}`);
  const start = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(start.getTime())) throw new RangeError(`Not an instant: ${String(at)}`);
  // Shift to the local wall clock, do calendar arithmetic with UTC getters, shift back.
  const offset = offsetMinutes * 60_000;
  const local = new Date(start.getTime() + offset);
  const monthIndex = local.getUTCFullYear() * 12 + local.getUTCMonth() + d.years * 12 + d.months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const day = Math.min(local.getUTCDate(), daysInMonth(year, month));
  const timeOfDay =
    local.getTime() - Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const shifted = Date.UTC(year, month, day) + timeOfDay + (d.weeks * 7 + d.days) * DAY_MS;
  const clock = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
  return new Date(shifted + clock - offset).toISOString();
}

/** True when `s` is a real calendar date `YYYY-MM-DD` (not 2021-02-30). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo - 1);
}

/**
 * The instant a due date ends: the last moment of that day in China time, so a report handed in
 * at any hour of its due date counts as on time. `endOfDay('2021-06-03')` → `2021-06-03T16:00:00.000Z`.
 */
export function endOfDay(date: string, offsetMinutes = CHINA_OFFSET_MINUTES): string {
  if (!isCalendarDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - offsetMinutes * 60_000).toISOString();
}

/** Milliseconds since the epoch of an ISO instant or Date; NaN for junk. */
export const toMs = (at: string | Date): number => (typeof at === 'string' ? Date.parse(at) : at.getTime());
