import { ApiError, api } from '../api.ts';
import {
  type CaseSummary,
  dueCell,
  familyCell,
  matches,
  type SortKey,
  sortCases,
  sortSelect,
  stepCell,
  summariesOf,
} from '../cases.ts';
import { fill, h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { status } from '../status.ts';
import { type Task, toTask } from '../tasks.ts';

/** Reviewers: the cases waiting for them, overdue first, with filters and bulk approval. */
export async function inboxPage(app: HTMLElement): Promise<void> {
  let tasks: Task[];
  try {
    const r = await api<{ items: Record<string, unknown>[] }>('GET', '/api/tasks');
    tasks = r.items.map(toTask);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      app.append(h('p', {}, tr('本服务器尚未启用审批流程', 'Workflows are not enabled on this server')));
      return;
    }
    throw e;
  }
  const summaries = await summariesOf(tasks.map((x) => x.id));

  const onlyOverdue = h('input', { type: 'checkbox', id: 'filter-overdue' });
  const stateSel = h(
    'select',
    { id: 'filter-state' },
    h('option', { value: '' }, tr('全部环节', 'Every step')),
  );
  for (const s of new Set(tasks.map((x) => x.state))) {
    const label = tasks.find((x) => x.state === s)?.stateLabel;
    stateSel.append(h('option', { value: s }, t(label)));
  }
  const search = h('input', {
    type: 'search',
    id: 'filter-text',
    placeholder: tr('户主、身份证后四位、村', 'Name, ID digits, village'),
  });
  const sortBy = sortSelect('sort-by');
  const filters = h(
    'div',
    { class: 'filters' },
    h('label', { class: 'choice', for: 'filter-overdue' }, onlyOverdue, ' ', tr('只看逾期', 'Overdue only')),
    h('label', { for: 'filter-state' }, tr('环节', 'Step'), ' ', stateSel),
    h('label', { for: 'filter-text' }, tr('查找', 'Find'), ' ', search),
    h('label', { for: 'sort-by' }, tr('排序', 'Sort by'), ' ', sortBy),
  );
  const body = h('tbody');
  const all = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': tr('全选', 'Select all') });
  const table = h(
    'table',
    { class: 'list', id: 'tasks' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, all),
        h('th', { scope: 'col' }, tr('家庭 · 村（社区）', 'Family · village')),
        h('th', { scope: 'col' }, tr('环节 · 办理人', 'Step · next')),
        h('th', { scope: 'col' }, tr('期限', 'Due')),
      ),
    ),
    body,
  );
  const bulk = h(
    'button',
    { type: 'button', id: 'bulk-approve', class: 'primary' },
    tr('批量批准所选', 'Approve selected'),
  );
  const results = h('ul', { id: 'bulk-results', 'aria-live': 'polite' });
  const boxes = new Map<string, HTMLInputElement>();

  const draw = () => {
    fill(body);
    boxes.clear();
    const q = search.value.trim();
    const of = (x: Task): CaseSummary | undefined => summaries.get(x.id);
    const shown = sortCases(
      tasks.filter((x) => {
        const c = of(x);
        return (
          (!onlyOverdue.checked || x.overdue) &&
          (!stateSel.value || x.state === stateSel.value) &&
          (c ? matches(c, q) : !q || x.formId.includes(q) || x.orgUnit.includes(q))
        );
      }),
      sortBy.value as SortKey,
      of,
    );
    for (const x of shown) {
      const c = of(x);
      const href = `/app/cases/${encodeURIComponent(x.id)}`;
      const box = h('input', {
        type: 'checkbox',
        'aria-label': `${tr('选择', 'Select')} ${c?.household.name ?? x.id}`,
      });
      boxes.set(x.id, box);
      body.append(
        h(
          'tr',
          { class: x.overdue ? 'overdue' : null, 'data-submission': x.id },
          h('td', {}, box),
          ...(c
            ? [familyCell(c, href), stepCell(c), dueCell(c)]
            : [
                h('td', {}, h('a', { href }, `${x.formId} · ${x.orgUnit}`)),
                h('td', {}, t(x.stateLabel)),
                h('td', {}, x.deadline ?? ''),
              ]),
        ),
      );
    }
    if (!shown.length) body.append(h('tr', {}, h('td', { colspan: 4 }, tr('没有待办', 'Nothing to do'))));
  };
  for (const el of [onlyOverdue, stateSel, search, sortBy]) el.addEventListener('input', draw);
  all.addEventListener('change', () => {
    for (const b of boxes.values()) b.checked = all.checked;
  });
  bulk.addEventListener('click', async () => {
    const ids = [...boxes].filter(([, b]) => b.checked).map(([id]) => id);
    if (!ids.length) return status(tr('请先选择案件', 'Select cases first'), 'error');
    bulk.disabled = true;
    try {
      const r = await api<{ results?: Record<string, unknown>[]; items?: Record<string, unknown>[] }>(
        'POST',
        '/api/tasks/bulk',
        {
          action: 'approve',
          submissionIds: ids,
        },
      );
      fill(results);
      for (const x of r.results ?? r.items ?? []) {
        const ok = x.ok === true || x.status === 'ok';
        results.append(
          h(
            'li',
            { class: ok ? 'ok' : 'error' },
            `${summaries.get(String(x.submissionId ?? x.id ?? ''))?.household.name ?? String(x.submissionId ?? x.id ?? '')}：${ok ? tr('已批准', 'approved') : t(x.message ?? x.code ?? tr('未批准', 'not approved'))}`,
          ),
        );
      }
      status(tr('批量审批已完成，结果见下', 'Bulk approval done; results below'), 'ok');
    } finally {
      bulk.disabled = false;
    }
  });
  draw();
  app.append(filters, table, h('div', { class: 'actions' }, bulk), results);
}
