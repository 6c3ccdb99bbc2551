import { api } from './api.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';
import { when } from './labels.ts';

interface Step {
  action?: string;
  from?: string | null;
  to?: string | null;
  fromState?: string | null;
  toState?: string | null;
  from_state?: string | null;
  to_state?: string | null;
  actor?: string | null;
  actorId?: string | null;
  at?: string;
  comment?: string | null;
}

/**
 * The history of a submission: the workflow's steps when the workflow routes answer, else the
 * audit trail of its changes.
 */
export async function historyList(id: string): Promise<HTMLElement> {
  const enc = encodeURIComponent(id);
  const ol = h('ol', { class: 'history', id: 'history' });
  try {
    const r = await api<{ items: Step[] }>('GET', `/api/submissions/${enc}/history`);
    for (const s of r.items) {
      const from = s.from ?? s.fromState ?? s.from_state;
      const to = s.to ?? s.toState ?? s.to_state;
      ol.append(
        h(
          'li',
          {},
          h('time', {}, when(s.at)),
          ' ',
          h('strong', {}, t(s.action ?? '')),
          from || to ? ` ${from ?? ''} → ${to ?? ''}` : '',
          ` · ${s.actor ?? s.actorId ?? tr('系统（定时）', 'system (timer)')}`,
          s.comment ? h('q', {}, s.comment) : null,
        ),
      );
    }
  } catch {
    const r = await api<{ items: { at: string; actor: string | null; action: string }[] }>(
      'GET',
      `/api/submissions/${enc}/audit`,
    );
    for (const a of r.items)
      ol.append(
        h('li', {}, h('time', {}, when(a.at)), ' ', h('strong', {}, a.action), ` · ${a.actor ?? ''}`),
      );
  }
  if (!ol.childElementCount) ol.append(h('li', {}, tr('暂无记录', 'Nothing yet')));
  return ol;
}
