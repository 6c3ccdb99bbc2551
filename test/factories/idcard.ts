/**
 * Resident ID numbers (GB 11643-1999) for tests. Written independently of the engine's parser:
 * it is the oracle the engine is checked against, so it must not import engine code.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export interface IdcardParts {
  /** Six-digit administrative division code (GB/T 2260), e.g. '510104'. */
  region: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  /** Order number 0–999 (digits 15–17); its last digit's parity is adjusted to `sex`. */
  seq?: number;
  sex?: 'male' | 'female';
}

/** The check character of the first 17 digits: weighted sum mod 11 mapped through '10X98765432'. */
export function idcardCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`need 17 digits, got ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

/** Builds a valid 18-character ID number: odd 17th digit for men, even for women. */
export function makeIdcard({ region, birthDate, seq = 1, sex }: IdcardParts): string {
  if (!/^\d{6}$/.test(region)) throw new Error(`region must be 6 digits, got ${region}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
    throw new Error(`birthDate must be YYYY-MM-DD, got ${birthDate}`);
  let order = ((seq % 1000) + 1000) % 1000;
  if (sex !== undefined && (order % 2 === 1) !== (sex === 'male')) order ^= 1;
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(order).padStart(3, '0')}`;
  return first17 + idcardCheckChar(first17);
}

/** The same number with a wrong check character (for invalid fixtures). */
export function withWrongCheckChar(id: string): string {
  const right = id[17] ?? '';
  const wrong = CHECK_CHARS.split('').find((c) => c !== right && c !== 'X') ?? '0';
  return id.slice(0, 17) + wrong;
}

/** Sex encoded by an ID number: the parity of its 17th digit. */
export function sexOfIdcard(id: string): 'male' | 'female' {
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

/** Whole years between a birth date and a date, both YYYY-MM-DD (birthday not yet reached: one less). */
export function ageOn(birthDate: string, asOf: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Age from an ID number as of a date. */
export function idcardAgeOn(id: string, asOf: string): number {
  return ageOn(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, asOf);
}
