import { ApiError, api, type Session, setSession } from '../api.ts';
import { h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { status } from '../status.ts';

export function loginPage(app: HTMLElement): void {
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const keep = h('input', { id: 'keep-device', name: 'keep-device', type: 'checkbox' });
  const button = h('button', { type: 'submit', class: 'primary' }, tr('登录', 'Log in'));
  const form = h(
    'form',
    { class: 'login', method: 'post', action: '/app/login' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'username', class: 'label' }, tr('用户名', 'Username')),
      user,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'password', class: 'label' }, tr('密码', 'Password')),
      pass,
    ),
    h(
      'div',
      { class: 'field check' },
      keep,
      h(
        'label',
        { for: 'keep-device' },
        tr(
          '在本设备保持登录（30 天，可在“用户”页注销；公用设备请勿勾选）',
          'Keep me signed in on this device (30 days, revocable on the users page; not on a shared device)',
        ),
      ),
    ),
    button,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    try {
      const r = await api<Session & { expiresAt: string; kind: 'session' | 'device' }>(
        'POST',
        '/api/auth/login',
        {
          username: user.value,
          password: pass.value,
          ...(keep.checked ? { device: { name: deviceName() } } : {}),
        },
      );
      await setSession({ token: r.token, user: r.user, kind: r.kind, expiresAt: r.expiresAt });
      const next = new URLSearchParams(location.search).get('next');
      location.assign(next?.startsWith('/app/') ? next : '/app/');
    } catch (err) {
      status(
        err instanceof ApiError && err.body.message
          ? t(err.body.message)
          : tr('无法连接服务器', 'Cannot reach the server'),
        'error',
      );
      button.disabled = false;
    }
  });
  app.append(form);
  user.focus();
}

/** How the device is listed among the user's sessions: platform and browser, as the browser says. */
function deviceName(): string {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : tr('设备', 'device');
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : '';
  return `${os}${browser ? ` · ${browser}` : ''}`.slice(0, 100);
}
