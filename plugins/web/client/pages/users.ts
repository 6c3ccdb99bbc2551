import { api } from '../api.ts';
import { deviceSessions } from '../device-sessions.ts';
import { h } from '../dom.ts';
import { tr } from '../i18n.ts';

interface User {
  username: string;
  displayName: string | null;
  orgUnit: string;
  roles: string[];
  disabled: boolean;
}

/** Administrators: the users of their subtree. */
export async function usersPage(app: HTMLElement): Promise<void> {
  const r = await api<{ items: User[] }>('GET', '/api/users');
  app.append(
    h(
      'table',
      { class: 'list', id: 'users' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[tr('用户名', 'Username'), tr('姓名', 'Name'), tr('单位', 'Unit'), tr('角色', 'Roles')].map(
            (x) => h('th', { scope: 'col' }, x),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...r.items.map((u) =>
          h(
            'tr',
            { class: u.disabled ? 'disabled' : null },
            h('td', {}, u.username),
            h('td', {}, u.displayName ?? ''),
            h('td', {}, u.orgUnit),
            h('td', {}, u.roles.join(', ')),
          ),
        ),
      ),
    ),
  );
  app.append(await deviceSessions());
}
