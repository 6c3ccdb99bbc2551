import { ApiError, api } from '../api.ts';
import { fill, h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
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
  tasks.sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || (a.deadline ?? '9').localeCompare(b.deadline ?? '9'),
  );

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
    placeholder: tr('表单或单位', 'Form or unit'),
  });
  const filters = h(
    'div',
    { class: 'filters' },
    h('label', { class: 'choice', for: 'filter-overdue' }, onlyOverdue, ' ', tr('只看逾期', 'Overdue only')),
    h('label', { for: 'filter-state' }, tr('环节', 'Step'), ' ', stateSel),
    h('label', { for: 'filter-text' }, tr('查找', 'Find'), ' ', search),
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
        h('th', { scope: 'col' }, tr('案件', 'Case')),
        h('th', { scope: 'col' }, tr('环节', 'Step')),
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
    const shown = tasks.filter(
      (x) =>
        (!onlyOverdue.checked || x.overdue) &&
        (!stateSel.value || x.state === stateSel.value) &&
        (!q || x.formId.includes(q) || x.orgUnit.includes(q)),
    );
    for (const x of shown) {
      const box = h('input', { type: 'checkbox', 'aria-label': `${tr('选择', 'Select')} ${x.id}` });
      boxes.set(x.id, box);
      body.append(
        h(
          'tr',
          { class: x.overdue ? 'overdue' : null, 'data-submission': x.id },
          h('td', {}, box),
          h(
            'td',
            {},
            h('a', { href: `/app/cases/${encodeURIComponent(x.id)}` }, `${x.formId} · ${x.orgUnit}`),
            h('br'),
            h('small', {}, x.id.slice(0, 8)),
          ),
          h('td', {}, t(x.stateLabel)),
          h(
            'td',
            {},
            x.overdue ? h('strong', { class: 'flag' }, tr('逾期', 'Overdue')) : null,
            ' ',
            when(x.deadline),
          ),
        ),
      );
    }
    if (!shown.length) body.append(h('tr', {}, h('td', { colspan: 4 }, tr('没有待办', 'Nothing to do'))));
  };
  for (const el of [onlyOverdue, stateSel, search]) el.addEventListener('input', draw);
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
            `${String(x.submissionId ?? x.id ?? '')}：${ok ? tr('已批准', 'approved') : t(x.message ?? x.code ?? tr('未批准', 'not approved'))}`,
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
