import { api } from '../api.ts';
import { h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { statusLabel } from '../labels.ts';

interface FormItem {
  id: string;
  title: unknown;
  latestVersion: number;
  latestStatus: string;
  publishedVersion: number | null;
}

/** Administrators: every form with its newest and published version. */
export async function adminFormsPage(app: HTMLElement): Promise<void> {
  const { items } = await api<{ items: FormItem[] }>('GET', '/api/forms');
  app.append(
    h(
      'table',
      { class: 'list', id: 'admin-forms' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[tr('表单', 'Form'), tr('最新版本', 'Newest'), tr('已发布版本', 'Published'), ''].map((x) =>
            h('th', { scope: 'col' }, x),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...items.map((f) =>
          h(
            'tr',
            {},
            h('td', {}, t(f.title), h('br'), h('small', {}, f.id)),
            h('td', {}, `v${f.latestVersion} `, h('small', {}, statusLabel(f.latestStatus))),
            h('td', {}, f.publishedVersion === null ? '—' : `v${f.publishedVersion}`),
            h('td', {}, h('a', { href: `/app/admin/forms/${encodeURIComponent(f.id)}` }, tr('编辑', 'Edit'))),
          ),
        ),
      ),
    ),
  );
}
