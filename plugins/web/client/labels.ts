import { tr } from './i18n.ts';

/** Status words as people say them. */
export function statusLabel(s: string): string {
  const map: Record<string, [string, string]> = {
    draft: ['草稿', 'Draft'],
    submitted: ['已提交', 'Submitted'],
    approved: ['已批准', 'Approved'],
    rejected: ['未通过', 'Rejected'],
    returned: ['已退回', 'Returned'],
    published: ['已发布', 'Published'],
    retired: ['已停用', 'Retired'],
  };
  const m = map[s];
  return m ? tr(m[0], m[1]) : s;
}

/** A timestamp in China time, short. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(tr('zh-CN', 'en-GB'), {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  });
}

const UNITS: Record<string, string> = {
  元: 'yuan',
  '元/月': 'yuan a month',
  '元/人/月': 'yuan per person a month',
  '元/年': 'yuan a year',
  人: 'persons',
  户: 'households',
  岁: 'years',
};

/** A unit as the page's language says it (rulesets declare their units in Chinese). */
export const unitWords = (unit: string | null): string | null =>
  unit === null ? null : tr(unit, UNITS[unit] ?? unit);
