import type { Text } from '../../../engine/entry/plugin.ts';

export type Lang = 'zh-CN' | 'en';

const KEY = 'nx.lang';

/** zh-CN unless the user switched to English on this device. */
export function lang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function setLang(l: Lang): void {
  localStorage.setItem(KEY, l);
}

const isText = (v: unknown): v is Text =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)['zh-CN'] === 'string';

/** A bilingual text in the current language (falls back to Chinese); plain strings pass through. */
export function t(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isText(v)) {
    const en = (v as { en?: unknown }).en;
    return lang() === 'en' && typeof en === 'string' && en !== '' ? en : v['zh-CN'];
  }
  return v === undefined || v === null ? '' : String(v);
}

/** A UI string: `tr('保存草稿', 'Save draft')`. */
export const tr = (zh: string, en: string): string => (lang() === 'en' ? en : zh);
