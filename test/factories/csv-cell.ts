/**
 * A value of a generated submission as one CSV cell, the way a spreadsheet of submissions is laid
 * out for `nuanxin import`: tables as JSON, tick boxes comma-separated, quoted when needed.
 */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = Array.isArray(v)
    ? v.every((x) => typeof x === 'string')
      ? v.join(',')
      : JSON.stringify(v)
    : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
