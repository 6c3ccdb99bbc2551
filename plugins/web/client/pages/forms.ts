import { api } from '../api.ts';
import {
  type CaseSummary,
  caseSummaries,
  dueCell,
  familyCell,
  isReturned,
  matches,
  type SortKey,
  sortCases,
  sortSelect,
  stepCell,
} from '../cases.ts';
import { append, fill, h, scrollBox } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { statusLabel, when } from '../labels.ts';
import { pending } from '../outbox.ts';
import { printButtons } from '../print.ts';

interface FormItem {
  id: string;
  title: unknown;
  publishedVersion: number | null;
}

/** Field staff: the forms they may fill, what waits on this device, and their submissions. */
export async function formsPage(app: HTMLElement): Promise<void> {
  const { items } = await api<{ items: FormItem[] }>('GET', '/api/forms');
  const fillable = items.filter((f) => f.publishedVersion !== null);
  app.append(
    h('h2', {}, tr('可填写的表单', 'Forms you can fill in')),
    h(
      'ul',
      { class: 'cards', id: 'form-list' },
      ...fillable.map((f) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `/app/fill/${encodeURIComponent(f.id)}` },
            h('strong', {}, t(f.title)),
            h('span', {}, tr('新建填报', 'New submission')),
          ),
        ),
      ),
    ),
  );
  const waiting = await pending();
  if (waiting.length) {
    app.append(
      h('h2', {}, tr('仅保存在本机、等待发送', 'Saved on this device only, waiting to be sent')),
      h(
        'ul',
        { id: 'outbox' },
        ...waiting.map((p) => h('li', {}, `${p.formId} · ${statusLabel(p.status)} · ${when(p.savedAt)}`)),
      ),
      h('p', {}, h('a', { href: '/app/outbox' }, tr('查看待发送的内容', 'See what waits to be sent'))),
    );
  }
  // Paper for when the network or the phone fails: blank forms to print and fill by hand.
  const blanks = (await Promise.all(fillable.map((f) => printButtons(f.id)))).filter((x) => x !== null);
  if (blanks.length) append(app, h('h2', {}, tr('打印空白表', 'Blank forms to print')), ...blanks);
  app.append(h('h2', {}, tr('我的填报', 'My submissions')));
  const mine = await caseSummaries({ mine: true, limit: 200 }).catch(() => [] as CaseSummary[]);
  const search = h('input', {
    type: 'search',
    id: 'mine-filter',
    placeholder: tr('户主、村、环节', 'Name, village, step'),
  });
  const sortBy = sortSelect('mine-sort', 'updated');
  const table = h(
    'table',
    { class: 'list', id: 'my-submissions', 'aria-label': tr('我的填报', 'My submissions') },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, tr('家庭 · 村（社区）', 'Family · village')),
        h('th', { scope: 'col' }, tr('环节 · 办理人', 'Step · next')),
        h('th', { scope: 'col' }, tr('期限', 'Due')),
        h('th', { scope: 'col' }, tr('更新时间', 'Updated')),
      ),
    ),
  );
  const body = h('tbody');
  table.append(body);
  const draw = () => {
    fill(body);
    const q = search.value.trim();
    for (const x of sortCases(
      mine.filter((c) => matches(c, q)),
      sortBy.value as SortKey,
      (c) => c,
    )) {
      const href =
        x.status === 'draft'
          ? `/app/fill/${encodeURIComponent(x.formId)}?s=${encodeURIComponent(x.submissionId)}`
          : `/app/submissions/${encodeURIComponent(x.submissionId)}`;
      body.append(
        h(
          'tr',
          { 'data-submission': x.submissionId, class: isReturned(x) ? 'returned' : null },
          familyCell(x, href),
          stepCell(x),
          dueCell(x),
          h('td', {}, when(x.updatedAt)),
        ),
      );
    }
    if (!body.childElementCount)
      body.append(h('tr', {}, h('td', { colspan: 4 }, tr('还没有填报', 'No submissions yet'))));
  };
  for (const el of [search, sortBy]) el.addEventListener('input', draw);
  app.append(
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'mine-filter' }, tr('查找', 'Find'), ' ', search),
      h('label', { for: 'mine-sort' }, tr('排序', 'Sort by'), ' ', sortBy),
    ),
    scrollBox(table),
  );
  draw();
}
