import { maskIdNumber, maskPhone } from '../../engine/entry/server.ts';

/** An 18-character resident ID number, a mainland mobile, or a landline with its area code. */
const ID_NUMBER = /(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])/g;
const PHONE = /(?<![0-9A-Za-z])(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])/g;

/**
 * Masks every ID number and phone found inside a string. Reports mask the fields a form marks
 * personal (as the submission API does); this is the net under it for what a report definition
 * computes or copies from elsewhere (a rules output, a concatenated column), so that nothing a
 * report shows a user without `pii` carries a whole identifier.
 */
export function scrubText(s: string): string {
  if (s.length < 10) return s;
  return s.replace(ID_NUMBER, (m) => maskIdNumber(m)).replace(PHONE, (m) => maskPhone(m));
}

/** A deep copy of a JSON-like value with every string scrubbed (documents' contexts). */
export function scrubDeep(v: unknown): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (Array.isArray(v)) return v.map(scrubDeep);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = scrubDeep(x);
    return out;
  }
  return v;
}
