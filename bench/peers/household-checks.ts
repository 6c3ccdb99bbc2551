/**
 * The household-survey checks that the peer engines cannot express declaratively, as JavaScript
 * source text for their expression hooks (form.io `custom` validation) or as functions (SurveyJS
 * FunctionFactory). Kept equal to what forms/household-survey.json checks.
 */

/** GB 11643 ID number: 17 digits + check character, a known province, a real birth date not after `today`. */
export function idcardOk(id: unknown, today: string): boolean {
  if (typeof id !== 'string' || !/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += (id.charCodeAt(i) - 48) * (w[i] as number);
  if ('10X98765432'[s % 11] !== id[17]) return false;
  const b = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const d = new Date(`${b}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === b && b <= today && b >= '1900-01-01';
}

/** Age on `today` of a valid ID number's holder. */
export function idcardAge(id: string, today: string): number {
  const b = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  let a = +today.slice(0, 4) - +b.slice(0, 4);
  if (today.slice(5) < b.slice(5)) a--;
  return a;
}

/** The same two functions as source text, for engines that evaluate JavaScript strings. */
export const idcardSource = `${idcardOk.toString()}\n${idcardAge.toString()}`;
