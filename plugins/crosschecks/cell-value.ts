import type { Text } from '../../engine/entry/plugin.ts';
import { parseIdcard } from '../../engine/entry/runtime.ts';
import type { ListColumn } from './list-schema.ts';

/**
 * One delivered cell as its column stores it: ID numbers normalised (x read as X) and checked,
 * numbers finite, booleans 1/0 (是/否, true/false, 1/0, Y/N), dates real `YYYY-MM-DD` days,
 * select values among the options, org codes of 6, 9 or 12 digits. A refused cell says why.
 */

export type CellValue = string | number | null;
export type CellResult = { ok: true; value: CellValue } | { ok: false; code: string; message: Text };

const TRUE = new Set(['1', 'true', '是', 'y', 'yes', '√']);
const FALSE = new Set(['0', 'false', '否', 'n', 'no', '']);

const bad = (zh: string, en: string): CellResult => ({
  ok: false,
  code: 'NX_ERR_CROSSCHECKS_BAD_ROW',
  message: { 'zh-CN': zh, en },
});

/** A real calendar day in `YYYY-MM-DD` (also `YYYY/M/D` and `YYYYMMDD`). */
function dateOf(s: string): string | undefined {
  const m = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const iso = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

export function cellValue(col: ListColumn, raw: unknown, today: string): CellResult {
  const s = raw === undefined || raw === null ? '' : String(raw).trim();
  if (s === '') {
    return col.required
      ? bad(`“${col.label['zh-CN']}”必填`, `"${col.label.en}" is required`)
      : { ok: true, value: col.type === 'boolean' ? 0 : null };
  }
  switch (col.type) {
    case 'text':
      return s.length > 2000
        ? bad('文字超过 2000 字', 'Text longer than 2,000 characters')
        : { ok: true, value: s };
    case 'idcard': {
      const id = s.toUpperCase();
      const r = parseIdcard(id, today);
      return r.ok
        ? { ok: true, value: id }
        : bad(`身份证号码无效（${r.reason}）`, `Invalid ID number (${r.reason})`);
    }
    case 'integer': {
      const n = Number(s.replaceAll(',', ''));
      return Number.isInteger(n)
        ? { ok: true, value: n }
        : bad(`“${s}”不是整数`, `"${s}" is not a whole number`);
    }
    case 'number':
    case 'money': {
      const n = Number(s.replaceAll(',', ''));
      return Number.isFinite(n) ? { ok: true, value: n } : bad(`“${s}”不是数字`, `"${s}" is not a number`);
    }
    case 'date': {
      const d = dateOf(s);
      return d ? { ok: true, value: d } : bad(`“${s}”不是有效日期`, `"${s}" is not a real date (YYYY-MM-DD)`);
    }
    case 'boolean': {
      const k = s.toLowerCase();
      if (TRUE.has(k)) return { ok: true, value: 1 };
      if (FALSE.has(k)) return { ok: true, value: 0 };
      return bad(`“${s}”应为 是/否`, `"${s}" must be yes or no (是/否, 1/0)`);
    }
    case 'select': {
      const hit = col.options?.find((o) => o.value === s || o.label['zh-CN'] === s || o.label.en === s);
      return hit
        ? { ok: true, value: hit.value }
        : bad(
            `“${s}”不在可选值中（${col.options?.map((o) => o.label['zh-CN']).join('、')}）`,
            `"${s}" is not one of the options (${col.options?.map((o) => o.value).join(', ')})`,
          );
    }
    case 'orgunit':
      return /^\d{6}(\d{3}){0,2}$/.test(s)
        ? { ok: true, value: s }
        : bad(`“${s}”不是行政区划代码`, `"${s}" is not a division code (6, 9 or 12 digits)`);
  }
}

/** The header texts that name a column: its id, its labels and the department's own headers. */
export const headerNames = (col: ListColumn): string[] => [
  col.id,
  col.label['zh-CN'],
  col.label.en,
  ...(col.headers ?? []),
];
