import { confirmDialog } from '../actions.ts';
import { api, hasRole } from '../api.ts';
import { type Catalog, type Finding, loadCatalog } from '../crosschecks.ts';
import { fill, h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { status } from '../status.ts';
import {
  closeAction,
  errorWords,
  findingType,
  maskedId,
  severity,
  unitNames,
  unitText,
} from '../work-words.ts';

const CLOSE = ['corrected', 'not_applicable', 'survey_done'] as const;
/** Findings per page of the work list. */
const PAGE = 50;
type State = 'open' | 'overdue' | 'closed' | 'all';

/** The close form of one open finding: the action, a reason (required for 不适用), a button. */
function closeForm(f: Finding, family: string, done: (message: string) => Promise<void>): HTMLElement {
  const base = `close-${f.id}`;
  const radios = CLOSE.map((a, i) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'radio', name: `${base}-action`, value: a, checked: i === 0 }),
      closeAction(a),
    ),
  );
  const reason = h('textarea', {
    id: `${base}-reason`,
    name: 'reason',
    rows: 2,
    maxlength: 500,
    'aria-describedby': `${base}-reason-err`,
  });
  const err = h('p', { class: 'error', id: `${base}-reason-err` });
  const button = h('button', { type: 'submit', class: 'close-finding' }, tr('关闭问题', 'Close the finding'));
  const form = h(
    'form',
    { class: 'close', 'data-finding': f.id, novalidate: true },
    h('fieldset', {}, h('legend', {}, tr('处理结果', 'Outcome')), h('div', { class: 'choices' }, ...radios)),
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'label', for: `${base}-reason` }, tr('原因或说明', 'Reason or note')),
      reason,
      err,
    ),
    h('div', { class: 'actions' }, button),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const action = (form.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value ??
      'corrected') as (typeof CLOSE)[number];
    const why = reason.value.trim();
    err.textContent = '';
    reason.removeAttribute('aria-invalid');
    if (action === 'not_applicable' && !why) {
      err.textContent = tr('选择“不适用”时须填写原因', 'Give the reason when choosing "Not applicable"');
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    const ok = await confirmDialog({
      title: tr('关闭这条比对问题？', 'Close this finding?'),
      family,
      consequence: tr(
        `处理结果记为“${closeAction(action)}”，问题从待办中移除；若今后名单数据变化，问题会重新打开。`,
        `It is recorded as "${closeAction(action)}" and leaves the to-do list; it opens again if a later delivery shows other values.`,
      ),
      ...(why ? { comment: why } : {}),
      confirmLabel: tr('确认关闭', 'Close it'),
    });
    if (!ok) return;
    button.disabled = true;
    try {
      await api('POST', `/api/crosschecks/findings/${encodeURIComponent(f.id)}/close`, {
        action,
        ...(why ? { reason: why } : {}),
      });
      await done(tr(`已关闭：${family}`, `Closed: ${family}`));
    } catch (e) {
      button.disabled = false;
      status(errorWords(e), 'error');
    }
  });
  return form;
}

function findingItem(
  f: Finding,
  catalog: Catalog,
  names: Map<string, string>,
  refresh: (message: string) => Promise<void>,
): HTMLLIElement {
  const list = catalog.list(f.list);
  const family = `${maskedId(f.subject)} · ${unitText(names, f.ownerOrgCode)}`;
  const mayClose = f.status === 'open' && hasRole('admin', 'reviewer', 'field_staff');
  return h(
    'li',
    {
      class: `finding sev-${f.severity}${f.overdue ? ' overdue' : ''}`,
      'data-finding': f.id,
      'data-status': f.status,
      'data-type': f.type,
    },
    h(
      'h3',
      {},
      catalog.ruleTitle(f),
      ' ',
      h('span', { class: `badge sev-${f.severity}` }, tr('严重程度', 'Severity'), '：', severity(f.severity)),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, tr('身份证号', 'ID number')),
      h('dd', { class: 'id-masked' }, maskedId(f.subject)),
      h('dt', {}, tr('要做的事', 'To do')),
      h('dd', {}, findingType(f.type)),
      h('dt', {}, tr('负责单位', 'Owner unit')),
      h('dd', {}, unitText(names, f.ownerOrgCode)),
      h('dt', {}, tr('办理期限', 'Due')),
      h(
        'dd',
        { class: f.overdue ? 'flag' : null },
        f.dueDate,
        f.overdue ? tr('（已逾期）', ' (overdue)') : '',
      ),
      h('dt', {}, tr('来源名单', 'List')),
      h('dd', {}, list ? `${t(list.department.name)} · ${t(list.title)}` : f.list),
      h('dt', {}, tr('比对的数值', 'Values compared')),
      h('dd', {}, h('ul', { class: 'explain' }, ...catalog.explain(f).map((line) => h('li', {}, line)))),
      ...(f.status === 'closed'
        ? [
            h('dt', {}, tr('处理结果', 'Outcome')),
            h(
              'dd',
              { class: 'resolution' },
              closeAction(f.resolution),
              f.reason ? `：${f.reason}` : '',
              ` · ${f.closedBy ?? ''} ${when(f.closedAt)}`,
            ),
          ]
        : []),
    ),
    h(
      'p',
      { class: 'links' },
      f.recordId
        ? h(
            'a',
            { href: `/app/households/${encodeURIComponent(f.recordId)}` },
            tr('查看家庭', 'The household'),
          )
        : null,
      f.recordId ? ' · ' : null,
      hasRole('admin', 'reviewer', 'field_staff')
        ? h(
            'a',
            { href: `/app/referrals?finding=${encodeURIComponent(f.id)}`, class: 'refer' },
            tr('转介到部门', 'Refer to a department'),
          )
        : null,
    ),
    mayClose ? closeForm(f, family, refresh) : null,
  );
}

/**
 * 比对问题 / Findings of the caller's units: filters by type, severity and state (open, overdue,
 * closed), in due-date order a page at a time ("show more"), each finding with the values compared
 * in words, its owner unit and due date, closed with an action after a confirmation; the list is
 * read again from its start after each close.
 */
export async function findingsPage(app: HTMLElement): Promise<void> {
  const [catalog, names] = await Promise.all([loadCatalog(), unitNames()]);
  const q = new URLSearchParams(location.search);
  const types = [
    ...new Set(catalog.lists.flatMap((l) => l.comparisons.flatMap((c) => c.rules.map((r) => r.type)))),
  ];
  const select = (id: string, label: string, options: [string, string][], value: string) =>
    h(
      'label',
      { for: id },
      `${label} `,
      h(
        'select',
        { id },
        ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
      ),
    );
  const filters = h(
    'form',
    { class: 'filters', id: 'finding-filters' },
    select(
      'f-state',
      tr('状态', 'State'),
      [
        ['open', tr('待处理', 'Open')],
        ['overdue', tr('已逾期', 'Overdue')],
        ['closed', tr('已关闭', 'Closed')],
        ['all', tr('全部', 'All')],
      ],
      q.get('state') ?? 'open',
    ),
    select(
      'f-type',
      tr('类型', 'Type'),
      [['', tr('全部', 'All')], ...types.map((x): [string, string] => [x, findingType(x)])],
      q.get('type') ?? '',
    ),
    select(
      'f-severity',
      tr('严重程度', 'Severity'),
      [
        ['', tr('全部', 'All')],
        ['high', severity('high')],
        ['medium', severity('medium')],
        ['low', severity('low')],
      ],
      q.get('severity') ?? '',
    ),
    h('button', { type: 'submit', id: 'f-apply' }, tr('筛选', 'Filter')),
  );
  const comparison = q.get('comparison') ?? '';
  const counts = h('p', { id: 'finding-count', 'aria-live': 'polite' });
  const box = h('ul', { class: 'todo findings', id: 'findings' });
  const more = h('button', { type: 'button', id: 'findings-more', hidden: true }, tr('更多', 'More'));

  const value = (id: string) => filters.querySelector<HTMLSelectElement>(`#${id}`)?.value ?? '';
  // The work list in due-date order (overdue first), a page at a time: "more" asks for the page
  // after the last finding shown (the API's keyset cursor), so nothing is left out however many.
  let shown = 0;
  let next: string | null = null;
  const page = async (after: string | null) => {
    const state = value('f-state') as State;
    const p = new URLSearchParams({ limit: String(PAGE), order: 'due' });
    if (state === 'open' || state === 'closed') p.set('status', state);
    if (state === 'overdue') p.set('overdue', 'true');
    if (value('f-type')) p.set('type', value('f-type'));
    if (value('f-severity')) p.set('severity', value('f-severity'));
    if (comparison) p.set('comparison', comparison);
    if (after) p.set('after', after);
    const r = await api<{ items: Finding[]; next: string | null }>('GET', `/api/crosschecks/findings?${p}`);
    const items = r.items.map((f) => findingItem(f, catalog, names, refresh));
    if (after) box.append(...items);
    else
      fill(
        box,
        ...(items.length
          ? items
          : [h('li', { class: 'empty' }, tr('没有符合条件的比对问题', 'No finding matches'))]),
      );
    shown = (after ? shown : 0) + r.items.length;
    next = r.next;
    more.hidden = !next;
    counts.textContent = next
      ? tr(`已显示 ${shown} 条，还有更多`, `${shown} findings shown, more to come`)
      : tr(`共 ${shown} 条`, `${shown} findings`);
  };
  const load = () => page(null);
  more.addEventListener('click', () => {
    if (!next) return;
    more.disabled = true;
    void page(next)
      .catch((e: unknown) => status(errorWords(e), 'error'))
      .finally(() => {
        more.disabled = false;
      });
  });
  const refresh = async (message: string) => {
    await load();
    status(message, 'ok');
  };
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load().catch((e: unknown) => status(errorWords(e), 'error'));
  });
  app.append(
    h(
      'p',
      {},
      tr(
        '其他部门名单与家庭户登记簿按身份证号比对后发现的问题，由负责的村（社区）或乡镇处理。',
        'What comparing other departments’ lists with the households register by ID number found; the owning village or township acts on it.',
      ),
      hasRole('admin', 'reviewer') ? ' ' : '',
      hasRole('admin', 'reviewer')
        ? h('a', { href: '/app/crosschecks/lists' }, tr('导入名单', 'Import a list'))
        : '',
    ),
    filters,
    counts,
    box,
    more,
  );
  await load();
}
