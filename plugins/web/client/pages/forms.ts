import { api, session } from '../api.ts';
import { h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { statusLabel, when } from '../labels.ts';
import { pending } from '../outbox.ts';

interface FormItem {
  id: string;
  title: unknown;
  publishedVersion: number | null;
}
interface Sub {
  id: string;
  formId: string;
  status: string;
  updatedAt: string;
  createdBy: string | null;
  version: number;
}

/** Field staff: the forms they may fill, what waits on this device, and their submissions. */
export async function formsPage(app: HTMLElement): Promise<void> {
  const s = session();
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
  const waiting = pending();
  if (waiting.length) {
    app.append(
      h('h2', {}, tr('仅保存在本机、等待发送', 'Saved on this device only, waiting to be sent')),
      h(
        'ul',
        { id: 'outbox' },
        ...waiting.map((p) => h('li', {}, `${p.formId} · ${statusLabel(p.status)} · ${when(p.savedAt)}`)),
      ),
    );
  }
  app.append(h('h2', {}, tr('我的填报', 'My submissions')));
  const table = h(
    'table',
    { class: 'list', id: 'my-submissions' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, tr('表单', 'Form')),
        h('th', { scope: 'col' }, tr('状态', 'Status')),
        h('th', { scope: 'col' }, tr('更新时间', 'Updated')),
        h('th', { scope: 'col' }, ''),
      ),
    ),
  );
  const body = h('tbody');
  table.append(body);
  app.append(table);
  const titles = new Map(items.map((f) => [f.id, t(f.title)]));
  const lists = await Promise.all(
    fillable.map((f) =>
      api<{ items: Sub[] }>('GET', `/api/forms/${encodeURIComponent(f.id)}/submissions?limit=50`).catch(
        () => ({ items: [] as Sub[] }),
      ),
    ),
  );
  const mine = lists
    .flatMap((l) => l.items)
    .filter((x) => x.createdBy === s?.user.username || x.createdBy === s?.user.id)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  for (const x of mine) {
    const href =
      x.status === 'draft'
        ? `/app/fill/${encodeURIComponent(x.formId)}?s=${encodeURIComponent(x.id)}`
        : `/app/submissions/${encodeURIComponent(x.id)}`;
    body.append(
      h(
        'tr',
        {},
        h('td', {}, titles.get(x.formId) ?? x.formId),
        h('td', {}, statusLabel(x.status)),
        h('td', {}, when(x.updatedAt)),
        h('td', {}, h('a', { href }, x.status === 'draft' ? tr('继续填写', 'Continue') : tr('查看', 'View'))),
      ),
    );
  }
  if (!mine.length) body.append(h('tr', {}, h('td', { colspan: 4 }, tr('还没有填报', 'No submissions yet'))));
}
