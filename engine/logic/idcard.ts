import { digits, isDate, isRealDay, todayInChina } from './dates.ts';

/**
 * The 18-digit resident identity number (GB 11643-1999): 6-digit region, 8-digit birth date,
 * 3-digit sequence (odd for men, even for women) and a MOD 11-2 check digit.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
/** First two digits of real province-level divisions (GB/T 2260), plus 71 Taiwan, 81/82 HK/Macao, 91 abroad. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 91,
]);

export type IdcardResult =
  | { ok: true; birthDate: string; sex: 'male' | 'female'; region: string }
  | { ok: false; reason: 'format' | 'checksum' | 'birthdate' };

/** The check digit (0–9 or X) for the first 17 digits. */
export function idcardCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

export type IdcardProblem = 'format' | 'checksum' | 'birthdate';

const CHECK_VALUES = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];

/** `YYYY-MM-DD` as the number YYYYMMDD; a missing or malformed date sets no bound. */
function dateNumber(s: string): number {
  return isDate(s)
    ? digits(s, 0, 4) * 10000 + digits(s, 5, 7) * 100 + digits(s, 8, 10)
    : Number.POSITIVE_INFINITY;
}

/**
 * Why an ID number is invalid, or null when it is valid. Allocates nothing, so the runtime can
 * ask it for every number of every submission.
 */
export function idcardProblem(s: unknown, today: string): IdcardProblem | null {
  if (typeof s !== 'string' || s.length !== 18) return 'format';
  // One pass checks the 17 digits and forms the weighted sum of the check digit.
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return 'format';
    sum += c * (WEIGHTS[i] as number);
  }
  const last = s.charCodeAt(17);
  const check = last === 88 || last === 120 ? 10 : last >= 48 && last <= 57 ? last - 48 : -1;
  if (check < 0 || !PROVINCES.has(digits(s, 0, 2))) return 'format';
  const y = digits(s, 6, 10);
  const m = digits(s, 10, 12);
  const d = digits(s, 12, 14);
  if (!isRealDay(y, m, d) || y < 1900 || y * 10000 + m * 100 + d > dateNumber(today)) return 'birthdate';
  return CHECK_VALUES[sum % 11] === check ? null : 'checksum';
}

/** 'male' for an odd sequence digit (the 17th), 'female' for an even one; the number must be valid. */
export function idcardSexOf(validId: string): 'male' | 'female' {
  return (validId.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female';
}

/** The birth date YYYY-MM-DD of a valid number. */
export function idcardBirthDateOf(validId: string): string {
  return `${validId.slice(6, 10)}-${validId.slice(10, 12)}-${validId.slice(12, 14)}`;
}

/**
 * Checks and decodes an ID number. `today` (YYYY-MM-DD, default today in China) bounds the birth date,
 * which must also be on or after 1900-01-01. A lower-case x is accepted as X.
 */
export function parseIdcard(s: string, today?: string): IdcardResult {
  const problem = idcardProblem(s, today ?? todayInChina());
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, birthDate: idcardBirthDateOf(s), sex: idcardSexOf(s), region: s.slice(0, 6) };
}

/** Full years of age on `asOf` (YYYY-MM-DD); null when the number or the date is invalid. */
export function idcardAge(id: string, asOf: string): number | null {
  if (!isDate(asOf) || idcardProblem(id, asOf) !== null) return null;
  // Both dates are YYYYMMDD digits at known places: compare without allocating.
  let age = digits(asOf, 0, 4) - digits(id, 6, 10);
  const atMd = digits(asOf, 5, 7) * 100 + digits(asOf, 8, 10);
  if (atMd < digits(id, 10, 14)) age -= 1;
  return age;
}
