/**
 * Builds valid ID numbers for tests. The check digit is computed here from the definition in
 * GB 11643 (weights 2^(17-i) mod 11), independently of the engine's own table.
 */
export function checkDigitOf(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

/** A valid number for a region, a birth date (YYYYMMDD) and a 3-digit sequence (odd = male). */
export function makeIdcard(region: string, birth: string, seq: string): string {
  const first17 = `${region}${birth}${seq}`;
  return first17 + checkDigitOf(first17);
}

/** The same number with a wrong check digit. */
export function withWrongCheck(id: string): string {
  const right = id[17];
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
}
