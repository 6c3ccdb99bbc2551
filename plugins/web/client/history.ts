import { api } from './api.ts';
import { h } from './dom.ts';
import { type HistoryStep, historySentence } from './history-sentence.ts';
import { lang, tr } from './i18n.ts';
import { when } from './labels.ts';

/**
 * The history of a submission as sentences (who did what, where the case went, the comment),
 * each after its time, in the page language: the workflow's steps when the workflow routes
 * answer, else the audit trail of its changes.
 */
export async function historyList(id: string): Promise<HTMLElement> {
  const enc = encodeURIComponent(id);
  const ol = h('ol', { class: 'history', id: 'history' });
  const line = (at: string, ...rest: (string | HTMLElement)[]) =>
    h('li', {}, h('time', { datetime: at }, when(at)), ' ', ...rest);
  try {
    const r = await api<{ items: (HistoryStep & { at: string })[] }>(
      'GET',
      `/api/submissions/${enc}/history`,
    );
    for (const s of r.items)
      ol.append(line(s.at, h('span', { class: `step ${s.kind ?? ''}`.trim() }, historySentence(s, lang()))));
  } catch {
    const r = await api<{ items: { at: string; actor: string | null; action: string }[] }>(
      'GET',
      `/api/submissions/${enc}/audit`,
    );
    for (const a of r.items)
      ol.append(line(a.at, `${a.actor ?? tr('系统', 'The system')}：${auditWords(a.action)}`));
  }
  if (!ol.childElementCount) ol.append(h('li', {}, tr('暂无记录', 'Nothing yet')));
  return ol;
}

/** The audit trail's actions in words where they are common; else as recorded. */
function auditWords(action: string): string {
  const words: Record<string, [string, string]> = {
    'submission.create': ['填报', 'filled in'],
    'submission.update': ['修改', 'changed'],
  };
  const w = words[action];
  return w ? tr(w[0], w[1]) : action;
}
