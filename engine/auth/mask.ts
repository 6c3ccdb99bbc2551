/**
 * Masks for personal identifiers, as on public notices: an ID number keeps its first four and
 * last four characters (`5101**********1234`), a phone its first three and last four.
 */
export function maskIdNumber(v: string): string {
  if (v.length <= 8) return '*'.repeat(v.length);
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

export function maskPhone(v: string): string {
  if (v.length <= 7) return '*'.repeat(v.length);
  return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
}
