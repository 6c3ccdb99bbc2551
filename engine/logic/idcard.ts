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

/**
 * Checks and decodes an ID number. `today` (YYYY-MM-DD, default today in China) bounds the birth date,
 * which must also be on or after 1900-01-01. A lower-case x is accepted as X.
 */
export function parseIdcard(s: string, today?: string): IdcardResult {
  return decode(s, today ?? todayInChina());
}

function decode(s: string, limit: string): IdcardResult {
  if (typeof s !== 'string' || s.length !== 18 || digits(s, 0, 17) < 0)
    return { ok: false, reason: 'format' };
  const last = s.charCodeAt(17);
  const check = last === 120 || last === 88 ? 'X' : last >= 48 && last <= 57 ? s[17] : null;
  if (check === null || !PROVINCES.has(digits(s, 0, 2))) return { ok: false, reason: 'format' };
  const y = digits(s, 6, 10);
  if (!isRealDay(y, digits(s, 10, 12), digits(s, 12, 14)) || y < 1900)
    return { ok: false, reason: 'birthdate' };
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (birthDate > limit) return { ok: false, reason: 'birthdate' };
  if (idcardCheckDigit(s) !== check) return { ok: false, reason: 'checksum' };
  return {
    ok: true,
    birthDate,
    sex: (s.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    region: s.slice(0, 6),
  };
}

/** Full years of age on `asOf` (YYYY-MM-DD); null when the number or the date is invalid. */
export function idcardAge(id: string, asOf: string): number | null {
  if (!isDate(asOf)) return null;
  const p = parseIdcard(id, asOf);
  if (!p.ok) return null;
  // Both dates are YYYYMMDD digits at known places: compare without allocating.
  let age = digits(asOf, 0, 4) - digits(id, 6, 10);
  const atMd = digits(asOf, 5, 7) * 100 + digits(asOf, 8, 10);
  if (atMd < digits(id, 10, 14)) age -= 1;
  return age;
}
