/**
 * The chain of an org unit up to its province, nearest first, from the structure of the national
 * division code (GB/T 2260, extended to 9 digits for townships and 12 for villages):
 * 511923101201 → 511923101 → 511923 → 511900 → 510000. The store, which knows the tree, can pass
 * its own chain instead (e.g. for counties directly under a province).
 */
export function orgChain(code: string): string[] {
  const chain: string[] = [code];
  let c = code;
  if (c.length === 12) {
    c = c.slice(0, 9);
    chain.push(c);
  }
  if (c.length === 9) {
    c = c.slice(0, 6);
    chain.push(c);
  }
  if (c.length !== 6) return chain;
  const city = `${c.slice(0, 4)}00`;
  const province = `${c.slice(0, 2)}0000`;
  if (city !== c) chain.push(city);
  if (province !== c && province !== city) chain.push(province);
  return chain;
}

/** The county (6-digit code) an org unit belongs to, for per-county summaries. */
export function countyOf(code: string): string {
  return code.length >= 6 ? code.slice(0, 6) : code;
}
