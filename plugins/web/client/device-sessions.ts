import { api } from './api.ts';
import { fill, h } from './dom.ts';
import { tr } from './i18n.ts';
import { when } from './labels.ts';
import { status } from './status.ts';

interface TokenRow {
  id: string;
  username: string;
  orgUnit: string;
  kind: string;
  name: string | null;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/**
 * 保持登录的设备 / Devices kept signed in: the live device sessions of the administrator's area
 * (`GET /api/tokens`, kind `device`), each revocable (`DELETE /api/tokens/:id`) after confirming —
 * for a lost phone, or a worker who left.
 */
export async function deviceSessions(): Promise<HTMLElement> {
  const body = h('tbody', {});
  const section = h(
    'section',
    { id: 'device-sessions', 'aria-labelledby': 'device-sessions-title' },
    h('h2', { id: 'device-sessions-title' }, tr('保持登录的设备', 'Devices kept signed in')),
    h(
      'p',
      { class: 'help' },
      tr(
        '勾选“在本设备保持登录”的登录，到期前一直有效；手机丢失或人员离开时请注销。',
        'Logins with “keep me signed in on this device” last until they expire; revoke them when a phone is lost or someone leaves.',
      ),
    ),
    h(
      'table',
      { class: 'list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            tr('用户名', 'Username'),
            tr('设备', 'Device'),
            tr('登录于', 'Since'),
            tr('到期', 'Expires'),
            '',
          ].map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      body,
    ),
  );
  async function draw() {
    const r = await api<{ items: TokenRow[] }>('GET', '/api/tokens');
    const rows = r.items.filter((t) => t.kind === 'device');
    fill(
      body,
      ...(rows.length
        ? rows.map((t) => {
            const revoke = h(
              'button',
              { type: 'button', class: 'danger', 'data-token': t.id },
              tr('注销', 'Revoke'),
            );
            revoke.addEventListener('click', async () => {
              const q = tr(
                `注销 ${t.username} 在“${t.name ?? ''}”上的登录？该设备需重新登录，未发送的内容仍保留在设备上。`,
                `Revoke ${t.username}'s login on "${t.name ?? ''}"? The device must log in again; what it has not sent stays on it.`,
              );
              if (!confirm(q)) return;
              await api('DELETE', `/api/tokens/${encodeURIComponent(t.id)}`);
              status(tr('已注销', 'Revoked'), 'ok');
              await draw();
            });
            return h(
              'tr',
              { 'data-token': t.id },
              h('td', {}, t.username),
              h('td', {}, t.name ?? ''),
              h('td', {}, when(t.createdAt)),
              h('td', {}, when(t.expiresAt)),
              h('td', {}, t.current ? tr('本设备', 'this device') : revoke),
            );
          })
        : [h('tr', {}, h('td', { colspan: 5 }, tr('没有', 'None')))]),
    );
  }
  await draw();
  return section;
}
