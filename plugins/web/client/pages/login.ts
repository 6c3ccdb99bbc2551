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
    button,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    try {
      const r = await api<Session & { expiresAt: string }>('POST', '/api/auth/login', {
        username: user.value,
        password: pass.value,
      });
      setSession({ token: r.token, user: r.user });
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
