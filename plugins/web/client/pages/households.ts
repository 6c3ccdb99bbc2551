import { api } from '../api.ts';
import { fill, h, scrollBox } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import {
  headName,
  type ListFilters,
  listId,
  queryBody,
  type RecordView,
  type RegisterDef,
  statusText,
} from '../register-records.ts';
import { errorWords, registerDef, regUrl, unitNames } from '../register-ui.ts';
import { status } from '../status.ts';

const PAGE = 50;

/**
 * The household register: typed filters (unit, status, urban/rural, income, last survey before a
 * date), pages of 50 by key set (“更多 / More”), and a look-up by ID number sent in a POST body
 * (never in the URL, which ends up in logs).
 */
export async function householdsPage(app: HTMLElement): Promise<void> {
  const def = await registerDef();
  if (!def) {
    app.append(
      h('p', {}, tr('本服务器未启用家庭户登记簿', 'The household register is not enabled on this server')),
    );
    return;
  }
  const units = await unitNames();
  const unitSel = h(
    'select',
    { id: 'filter-unit' },
    h('option', { value: '' }, tr('全部辖区', 'Whole area')),
  );
  for (const [code, u] of [...units].filter(([, u]) => u.level === 'village' || u.level === 'township'))
    unitSel.append(h('option', { value: code }, `${u.name}（${code}）`));
  const statusSel = h(
    'select',
    { id: 'filter-status' },
    h('option', { value: '' }, tr('全部状态', 'Every status')),
  );
  for (const s of def.statuses)
    statusSel.append(h('option', { value: s.id, selected: s.id === 'active' }, t(s.label)));
  const areaSel = h(
    'select',
    { id: 'filter-area' },
    h('option', { value: '' }, tr('城市和农村', 'Urban and rural')),
    h('option', { value: 'rural' }, tr('农村', 'Rural')),
    h('option', { value: 'urban' }, tr('城市', 'Urban')),
  );
  const income = h('input', {
    type: 'number',
    id: 'filter-income',
    min: 0,
    step: '0.01',
    inputmode: 'decimal',
  });
  const before = h('input', { type: 'date', id: 'filter-before' });
  const filters = h(
    'form',
    { class: 'filters', id: 'household-filters' },
    h('label', { for: 'filter-unit' }, tr('村（社区）', 'Village'), ' ', unitSel),
    h('label', { for: 'filter-status' }, tr('状态', 'Status'), ' ', statusSel),
    h('label', { for: 'filter-area' }, tr('城乡', 'Area'), ' ', areaSel),
    h(
      'label',
      { for: 'filter-income' },
      tr('月人均收入不高于（元）', 'Income per person a month at most (yuan)'),
      ' ',
      income,
    ),
    h('label', { for: 'filter-before' }, tr('最近调查早于', 'Last surveyed before'), ' ', before),
    h('button', { type: 'submit', id: 'apply-filters' }, tr('筛选', 'Filter')),
  );

  const idInput = h('input', {
    type: 'text',
    id: 'search-id',
    autocomplete: 'off',
    inputmode: 'text',
    maxlength: 18,
    placeholder: tr('18 位身份证号码', '18-character ID number'),
  });
  const search = h(
    'form',
    { class: 'filters', id: 'household-search', role: 'search' },
    h(
      'label',
      { for: 'search-id' },
      tr('按身份证号查找（户主或成员）', 'Find by ID number (head or member)'),
      ' ',
      idInput,
    ),
    h('button', { type: 'submit', id: 'search-go' }, tr('查找', 'Find')),
    h('button', { type: 'button', id: 'search-clear', hidden: true }, tr('显示全部', 'Show all')),
  );
  const clear = search.querySelector<HTMLButtonElement>('#search-clear') as HTMLButtonElement;

  const body = h('tbody');
  const table = h(
    'table',
    { class: 'list', id: 'households', 'aria-label': tr('家庭户', 'Households') },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, tr('户主 · 身份证号', 'Head · ID number')),
        h('th', { scope: 'col' }, tr('村（社区）', 'Village')),
        h('th', { scope: 'col' }, tr('状态', 'Status')),
        h('th', { scope: 'col' }, tr('最近调查', 'Last survey')),
      ),
    ),
    body,
  );
  const more = h('button', { type: 'button', id: 'more', hidden: true }, tr('更多', 'More'));
  const count = h('p', { id: 'households-count', class: 'muted', 'aria-live': 'polite' });
  let next: string | null = null;
  let shown = 0;

  const row = (r: RecordView, note?: string) =>
    h(
      'tr',
      { 'data-record': r.id, class: r.openConflicts > 0 ? 'returned' : null },
      h(
        'td',
        { class: 'family' },
        h(
          'a',
          { href: `/app/households/${encodeURIComponent(r.id)}` },
          h('strong', { class: 'household' }, headName(r)),
        ),
        h('span', { class: 'id-masked' }, ` ${listId(r.key)}`),
        note ? h('small', {}, h('br'), note) : null,
      ),
      h('td', { class: 'village' }, units.get(r.ownerOrgCode)?.name ?? r.ownerOrgCode),
      h(
        'td',
        { class: 'status' },
        statusText(def as RegisterDef, r),
        r.openConflicts > 0
          ? h(
              'strong',
              { class: 'flag' },
              h('br'),
              tr(`冲突 ${r.openConflicts} 条待处理`, `${r.openConflicts} open conflicts`),
            )
          : null,
      ),
      h(
        'td',
        { class: 'surveyed' },
        typeof r.properties.surveyDate === 'string' ? r.properties.surveyDate : '—',
      ),
    );
  const counted = () => {
    count.textContent = tr(
      `已显示 ${shown} 户${next ? '，还有更多' : ''}`,
      `${shown} shown${next ? ', more to come' : ''}`,
    );
  };

  const current = (): ListFilters => ({
    orgCode: unitSel.value,
    status: statusSel.value,
    areaType: areaSel.value,
    maxIncome: income.value,
    surveyedBefore: before.value,
  });
  const load = async (reset: boolean) => {
    if (reset) {
      fill(body);
      shown = 0;
      next = null;
    }
    more.disabled = true;
    try {
      const r = await api<{ items: RecordView[]; next: string | null }>(
        'POST',
        regUrl('/records/query'),
        queryBody(current(), reset ? null : next, PAGE),
      );
      for (const x of r.items) body.append(row(x));
      shown += r.items.length;
      next = r.next;
      if (!shown)
        body.append(h('tr', {}, h('td', { colspan: 4 }, tr('没有符合条件的家庭', 'No family matches'))));
      more.hidden = !next;
      counted();
    } catch (e) {
      status(errorWords(e), 'error');
    } finally {
      more.disabled = false;
    }
  };

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    clear.hidden = true;
    void load(true);
  });
  more.addEventListener('click', () => void load(false));
  search.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = idInput.value.trim();
    if (!id) {
      idInput.focus();
      return status(tr('请输入身份证号码', 'Type an ID number'), 'error');
    }
    try {
      // The number goes in the body of a POST: never in a URL.
      const r = await api<{ items: { record: RecordView; role: 'key' | 'member' }[] }>(
        'POST',
        regUrl('/search'),
        {
          idNumber: id,
        },
      );
      fill(body);
      for (const x of r.items)
        body.append(
          row(x.record, x.role === 'key' ? tr('户主', 'head of household') : tr('家庭成员', 'member')),
        );
      if (!r.items.length)
        body.append(
          h(
            'tr',
            {},
            h('td', { colspan: 4 }, tr('登记簿中没有这个号码', 'This number is not in the register')),
          ),
        );
      shown = r.items.length;
      next = null;
      more.hidden = true;
      clear.hidden = false;
      count.textContent = tr(`查找结果 ${shown} 户`, `${shown} found`);
      status('', 'info');
    } catch (err) {
      status(errorWords(err), 'error');
    }
  });
  clear.addEventListener('click', () => {
    idInput.value = '';
    clear.hidden = true;
    void load(true);
  });

  app.append(
    h(
      'p',
      { class: 'muted' },
      t(def.title),
      ' · ',
      tr('每户一条记录，历次调查为其版本', 'one record per family; each survey is a version'),
    ),
    search,
    filters,
    count,
    scrollBox(table),
    h('div', { class: 'actions' }, more),
    h(
      'p',
      {},
      h('a', { href: '/app/registers/inbox' }, tr('冲突与疑似重复', 'Conflicts and possible duplicates')),
    ),
  );
  await load(true);
}
