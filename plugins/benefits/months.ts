/** Calendar months as `YYYY-MM` text (they sort as text). */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (v: unknown): v is string => typeof v === 'string' && MONTH.test(v);

/** The month of a date or an instant's China calendar day (`2021-08-15` → `2021-08`). */
export const monthOf = (day: string): string => day.slice(0, 7);

/** `month` moved by `n` months (`2021-01`, -1 → `2020-12`). */
export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(year).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` plus `n` months, clamped to the month's last day. */
export function addMonthsToDay(day: string, n: number): string {
  const month = addMonths(monthOf(day), n);
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(Math.min(Number(day.slice(8, 10)), last)).padStart(2, '0')}`;
}
