import type { Text } from '../../../engine/entry/plugin.ts';
import { api } from './api.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';
import { statusLabel, when } from './labels.ts';

/** One row of `GET /api/cases`: who the family is, where, which step, who acts next and by when. */
export interface CaseSummary {
  submissionId: string;
  formId: string;
  formTitle: Text;
  status: string;
  orgUnit: string;
  unitName: string;
  household: {
    name: string | null;
    idNumber: string | null;
    fields: { name: string | null; idNumber: string | null };
  };
  workflowId: string | null;
  state: string | null;
  stateLabel: Text | null;
  final: boolean;
  assignees: Text | null;
  enteredAt: string | null;
  deadline: string | null;
  overdue: boolean;
  timerDueAt: string | null;
  lastStep: {
    action: string;
    label: Text;
    kind: string;
    actor: string | null;
    at: string;
    comment: string | null;
  } | null;
  createdBy: string | null;
  updatedAt: string;
}

/** The summaries of the caller's cases (`query` as `GET /api/cases` takes it). */
export async function caseSummaries(
  query: Record<string, string | boolean | number> = {},
): Promise<CaseSummary[]> {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const r = await api<{ items: CaseSummary[] }>('GET', `/api/cases${q.size ? `?${q}` : ''}`);
  return r.items;
}

/** Summaries by submission id, for lists that come from elsewhere (the task list). */
export async function summariesOf(ids: readonly string[]): Promise<Map<string, CaseSummary>> {
  const out = new Map<string, CaseSummary>();
  for (let i = 0; i < ids.length; i += 200) {
    const part = ids.slice(i, i + 200);
    const items = await caseSummaries({ ids: part.join(','), limit: part.length }).catch(() => []);
    for (const c of items) out.set(c.submissionId, c);
  }
  return out;
}

/** A case sent back to the village: its reason is the comment of that step. */
export const isReturned = (c: CaseSummary): boolean => c.lastStep?.kind === 'return' && c.status === 'draft';

/** The family as a row names it: the head's name, else the form's title. */
export const familyName = (c: CaseSummary): string =>
  c.household.name ?? tr('（未填户主姓名）', '(no name given)');

/** The step in words: the workflow's own label, or the submission's status when there is no workflow. */
export function stepText(c: CaseSummary): string {
  if (isReturned(c)) return tr('已退回修改', 'Returned for revision');
  return c.stateLabel ? t(c.stateLabel) : statusLabel(c.status);
}

/** A date (no time) in China time. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(tr('zh-CN', 'en-GB'), { timeZone: 'Asia/Shanghai' });
}

/** The family cell of a list: name, masked ID, village; linked to `href`. */
export function familyCell(c: CaseSummary, href: string): HTMLTableCellElement {
  return h(
    'td',
    { class: 'family' },
    h('a', { href }, h('strong', { class: 'household' }, familyName(c))),
    c.household.idNumber ? h('span', { class: 'id-masked' }, ` ${c.household.idNumber}`) : null,
    h('br'),
    h('span', { class: 'village' }, c.unitName),
    ' · ',
    h('small', {}, t(c.formTitle)),
  );
}

/** The step cell: current step, who acts next, the reason of a return. */
export function stepCell(c: CaseSummary): HTMLTableCellElement {
  return h(
    'td',
    { class: 'step' },
    h('span', { class: 'state' }, stepText(c)),
    c.assignees && !c.final
      ? h('small', { class: 'assignees' }, h('br'), tr('办理：', 'Next: '), t(c.assignees))
      : null,
    isReturned(c) && c.lastStep?.comment
      ? h('small', { class: 'reason' }, h('br'), tr('退回原因：', 'Reason: '), c.lastStep.comment)
      : null,
  );
}

/** The clock cell: deadline (overdue flagged) and the end of a public notice. */
export function dueCell(c: CaseSummary): HTMLTableCellElement {
  return h(
    'td',
    { class: 'due' },
    c.overdue ? h('strong', { class: 'flag' }, tr('逾期', 'Overdue'), ' ') : null,
    c.deadline ? h('time', { datetime: c.deadline }, when(c.deadline)) : null,
    c.timerDueAt
      ? h(
          'span',
          { class: 'notice-end' },
          c.deadline ? h('br') : null,
          tr('公示截止 ', 'Notice ends '),
          day(c.timerDueAt),
        )
      : null,
    !c.deadline && !c.timerDueAt ? '—' : null,
  );
}

export type SortKey = 'due' | 'family' | 'village' | 'step' | 'updated';

/** Sorts rows by a column people choose; deadlines first-due first (none last), overdue on top. */
export function sortCases<T>(rows: T[], key: SortKey, of: (x: T) => CaseSummary | undefined): T[] {
  const cmp = (a: string, b: string) => a.localeCompare(b, 'zh-CN');
  const by: Record<SortKey, (a: CaseSummary, b: CaseSummary) => number> = {
    due: (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.deadline ?? a.timerDueAt ?? '9').localeCompare(b.deadline ?? b.timerDueAt ?? '9'),
    family: (a, b) => cmp(familyName(a), familyName(b)),
    village: (a, b) => cmp(a.unitName, b.unitName) || cmp(familyName(a), familyName(b)),
    step: (a, b) => cmp(stepText(a), stepText(b)),
    updated: (a, b) => b.updatedAt.localeCompare(a.updatedAt),
  };
  return [...rows].sort((x, y) => {
    const a = of(x);
    const b = of(y);
    if (!a || !b) return Number(!a) - Number(!b);
    return by[key](a, b);
  });
}

/** Whether a row matches what was typed in a search box: name, masked ID, village, step. */
export const matches = (c: CaseSummary, q: string): boolean =>
  !q ||
  [familyName(c), c.household.idNumber ?? '', c.unitName, c.orgUnit, stepText(c), t(c.formTitle)].some((s) =>
    s.toLowerCase().includes(q.toLowerCase()),
  );

/** The sort chooser every list shows. */
export function sortSelect(id: string, initial: SortKey = 'due'): HTMLSelectElement {
  const s = h('select', { id });
  for (const [k, label] of [
    ['due', tr('期限', 'Due date')],
    ['family', tr('户主姓名', 'Family name')],
    ['village', tr('村（社区）', 'Village')],
    ['step', tr('环节', 'Step')],
    ['updated', tr('更新时间', 'Last change')],
  ] as const)
    s.append(h('option', { value: k, selected: k === initial }, label));
  return s;
}

/**
 * The facts of one case as a definition list: family (with the ID as the caller may see it —
 * full for `pii` on a case page), village, step, who acts next, deadline, end of notice, last step.
 */
export function caseFacts(c: CaseSummary, idNumber: string | null = c.household.idNumber): HTMLDListElement {
  const dl = h('dl', { class: 'facts', id: 'case-facts' });
  const row = (dt: string, dd: Node | string, cls: string) =>
    dl.append(h('dt', {}, dt), h('dd', { class: cls }, dd));
  row(tr('户主', 'Head of household'), familyName(c), 'household');
  if (idNumber) row(tr('身份证号码', 'ID number'), idNumber, 'id-number');
  row(tr('村（社区）', 'Village'), `${c.unitName}（${c.orgUnit}）`, 'village');
  row(tr('表单', 'Form'), t(c.formTitle), 'form');
  row(tr('当前环节', 'Current step'), stepText(c), 'state');
  if (c.assignees && !c.final) row(tr('下一步办理', 'Acts next'), t(c.assignees), 'assignees');
  if (c.deadline)
    row(
      tr('办理期限', 'Due by'),
      `${when(c.deadline)}${c.overdue ? tr('（已逾期）', ' (overdue)') : ''}`,
      c.overdue ? 'deadline flag' : 'deadline',
    );
  if (c.timerDueAt) row(tr('公示截止', 'Public notice ends'), day(c.timerDueAt), 'notice-end');
  if (c.lastStep)
    row(
      tr('上一步', 'Last step'),
      `${t(c.lastStep.label)} · ${c.lastStep.actor ?? tr('系统（定时）', 'system (timer)')} · ${when(c.lastStep.at)}${
        c.lastStep.comment ? ` · ${tr('意见', 'comment')}：${c.lastStep.comment}` : ''
      }`,
      isReturned(c) ? 'last-step reason' : 'last-step',
    );
  return dl;
}
