import { hasRole, session } from '../api.ts';
import { h } from '../dom.ts';
import { tr } from '../i18n.ts';

/** Where each role starts. */
export function homePage(app: HTMLElement): void {
  const s = session();
  const cards: [string, string, string][] = [];
  if (hasRole('field_staff', 'admin'))
    cards.push([
      '/app/forms',
      tr('填报', 'Forms'),
      tr('填写表单、查看我的填报', 'Fill in forms, see my submissions'),
    ]);
  if (hasRole('reviewer', 'admin'))
    cards.push([
      '/app/inbox',
      tr('待办', 'Tasks'),
      tr('审核待办、批量审批', 'Review cases, approve in bulk'),
    ]);
  if (hasRole('admin'))
    cards.push([
      '/app/admin/forms',
      tr('表单管理', 'Forms admin'),
      tr('编辑、预览、发布表单', 'Edit, preview and publish forms'),
    ]);
  app.append(
    h(
      'p',
      {},
      tr(
        `您好，${s?.user.displayName ?? s?.user.username ?? ''}`,
        `Hello, ${s?.user.displayName ?? s?.user.username ?? ''}`,
      ),
    ),
    h(
      'ul',
      { class: 'cards' },
      ...cards.map(([href, title, text]) =>
        h('li', {}, h('a', { href }, h('strong', {}, title), h('span', {}, text))),
      ),
    ),
  );
}
