import { ROLE_LABELS, ROLES } from '../../../../engine/entry/runtime.ts';
import { confirmDialog } from '../actions.ts';
import { ApiError, api } from '../api.ts';
import { deviceSessions } from '../device-sessions.ts';
import { append, fill, h, scrollBox } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { status } from '../status.ts';

interface User {
  username: string;
  displayName: string | null;
  orgUnit: string;
  roles: string[];
  permissions: string[];
  disabled: boolean;
}
interface Token {
  id: string;
  username: string;
  kind: string;
  name: string | null;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/** A role in words (the id as a tooltip for those who write configuration). */
export const roleLabel = (r: string): string => {
  const l = (ROLE_LABELS as Record<string, { 'zh-CN': string; en: string } | undefined>)[r];
  return l ? t(l) : r;
};

/** The messages of a refused request, each under the input its pointer names, the rest above `whole`. */
function showErrors(e: unknown, inputs: Record<string, HTMLElement>, whole: HTMLElement): void {
  if (!(e instanceof ApiError)) {
    append(whole, String(e));
    return;
  }
  let placed = false;
  for (const d of e.body.errors ?? []) {
    const key = d.path.split('/')[2] ?? '';
    const input = inputs[key];
    const msg = `${t(d.message)}${d.hint ? `（${t(d.hint)}）` : ''}`;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      const err = document.getElementById(`${input.id}-err`);
      if (err) append(err, err.firstChild ? ' · ' : '', msg);
      placed = true;
    } else append(whole, msg, ' ');
  }
  if (!placed || !(e.body.errors ?? []).length) append(whole, t(e.body.message ?? e.code));
}

function field(id: string, label: string, input: HTMLElement, help?: string): HTMLElement {
  input.id = id;
  input.setAttribute('aria-describedby', `${id}-err`);
  return h(
    'div',
    { class: 'field' },
    h('label', { class: 'label', for: id }, label),
    help ? h('p', { class: 'help' }, help) : null,
    input,
    h('p', { class: 'error', id: `${id}-err`, 'aria-live': 'polite' }),
  );
}

const clearErrors = (form: HTMLElement) => {
  for (const el of Array.from(form.querySelectorAll('[aria-invalid]'))) el.removeAttribute('aria-invalid');
  for (const el of Array.from(form.querySelectorAll('.error'))) fill(el);
};

/**
 * Administrators: the users of their subtree with roles in words, and what the grant rules let
 * this admin do — create a user (only roles and permissions it holds, or an integration account),
 * reset a password, disable or enable, list and revoke tokens, issue a token for an integration account.
 */
export async function usersPage(app: HTMLElement): Promise<void> {
  const me = await api<{ user: User }>('GET', '/api/me');
  const mine = new Set(me.user.roles);
  const myPerms = new Set(me.user.permissions);
  const units = new Map<string, string>();
  try {
    for (const u of (await api<{ items: { code: string; name: string }[] }>('GET', '/api/org-units')).items)
      units.set(u.code, u.name);
  } catch {
    // names are a nicety; codes still identify the unit
  }
  const unitText = (code: string) => (units.has(code) ? `${units.get(code)}（${code}）` : code);
  // The grant rules as the server applies them: no role or permission the admin lacks, no peer admin, not oneself.
  const manageable = (u: User) =>
    u.username !== me.user.username &&
    u.roles.every((r) => r === 'service' || mine.has(r)) &&
    u.permissions.every((p) => myPerms.has(p)) &&
    !(u.roles.includes('admin') && u.orgUnit === me.user.orgUnit);

  const list = h('div', { id: 'users-list' });
  const panel = h('div', { id: 'user-panel', 'aria-live': 'polite' });

  const load = async () => {
    const r = await api<{ items: User[] }>('GET', '/api/users');
    const body = h('tbody');
    for (const u of r.items) {
      const can = manageable(u);
      const btn = (action: string, label: string, onClick: () => void) => {
        const b = h('button', { type: 'button', 'data-action': action, 'data-user': u.username }, label);
        b.addEventListener('click', onClick);
        return b;
      };
      body.append(
        h(
          'tr',
          { class: u.disabled ? 'disabled' : null, 'data-user': u.username },
          h('td', {}, h('strong', {}, u.displayName ?? u.username), h('br'), h('small', {}, u.username)),
          h('td', {}, unitText(u.orgUnit)),
          h(
            'td',
            { class: 'roles' },
            ...u.roles.map((r) => h('span', { class: 'role', title: r }, roleLabel(r))),
            u.permissions.includes('pii')
              ? h('span', { class: 'role pii' }, tr('可查看完整身份证号', 'sees full ID numbers'))
              : null,
          ),
          h('td', { class: 'state' }, u.disabled ? tr('已停用', 'Disabled') : tr('正常', 'Active')),
          h(
            'td',
            { class: 'row-actions' },
            can ? btn('password', tr('重置密码', 'Reset password'), () => resetPassword(u)) : null,
            can
              ? btn(
                  u.disabled ? 'enable' : 'disable',
                  u.disabled ? tr('启用', 'Enable') : tr('停用', 'Disable'),
                  () => void toggle(u),
                )
              : null,
            btn('tokens', tr('令牌', 'Tokens'), () => void tokens(u)),
            !can && u.username !== me.user.username
              ? h('small', { class: 'muted' }, tr('超出您的授权范围', 'Beyond what you may grant'))
              : null,
          ),
        ),
      );
    }
    fill(
      list,
      scrollBox(
        h(
          'table',
          { class: 'list', id: 'users', 'aria-label': tr('用户', 'Users') },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                tr('用户', 'User'),
                tr('单位', 'Unit'),
                tr('角色', 'Roles'),
                tr('状态', 'State'),
                tr('操作', 'Actions'),
              ].map((x) => h('th', { scope: 'col' }, x)),
            ),
          ),
          body,
        ),
      ),
    );
  };

  const resetPassword = (u: User) => {
    const pw = h('input', { type: 'password', autocomplete: 'new-password' });
    const whole = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      { id: 'password-form', novalidate: true },
      h(
        'h2',
        {},
        tr(`重置 ${u.displayName ?? u.username} 的密码`, `New password for ${u.displayName ?? u.username}`),
      ),
      field(
        'reset-password',
        tr('新密码', 'New password'),
        pw,
        tr('至少 10 位，不含用户名，不易猜测', 'At least 10 characters, not the username, hard to guess'),
      ),
      whole,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, tr('重置', 'Reset'))),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearErrors(form);
      void api<{ sessionsEnded: number }>('POST', `/api/users/${encodeURIComponent(u.username)}/password`, {
        newPassword: pw.value,
      })
        .then((r) => {
          fill(panel);
          status(
            tr(
              `已重置密码，结束了 ${r.sessionsEnded} 个会话`,
              `Password reset; ${r.sessionsEnded} sessions ended`,
            ),
            'ok',
          );
        })
        .catch((e) => showErrors(e, { newPassword: pw }, whole));
    });
    fill(panel, form);
    pw.focus();
  };

  const toggle = async (u: User) => {
    const disabling = !u.disabled;
    if (
      disabling &&
      !(await confirmDialog({
        title: tr(`停用 ${u.displayName ?? u.username}？`, `Disable ${u.displayName ?? u.username}?`),
        family: `${u.displayName ?? ''} ${u.username} · ${unitText(u.orgUnit)}`,
        consequence: tr(
          '该用户将不能登录，其所有会话和令牌立即失效。',
          'The user can no longer log in; every session and token ends at once.',
        ),
        confirmLabel: tr('停用', 'Disable'),
      }))
    )
      return;
    try {
      await api('POST', `/api/users/${encodeURIComponent(u.username)}/${disabling ? 'disable' : 'enable'}`);
      status(
        disabling
          ? tr(`已停用 ${u.username}`, `Disabled ${u.username}`)
          : tr(`已启用 ${u.username}`, `Enabled ${u.username}`),
        'ok',
      );
      await load();
    } catch (e) {
      status(e instanceof ApiError ? t(e.body.message ?? e.code) : String(e), 'error');
    }
  };

  const tokens = async (u: User) => {
    const r = await api<{ items: Token[] }>('GET', `/api/tokens?username=${encodeURIComponent(u.username)}`);
    const ul = h('ul', { class: 'tokens', id: 'tokens' });
    for (const x of r.items) {
      const revoke = h('button', { type: 'button', 'data-token': x.id }, tr('吊销', 'Revoke'));
      revoke.addEventListener('click', async () => {
        await api('DELETE', `/api/tokens/${encodeURIComponent(x.id)}`).catch((e) =>
          status(e instanceof ApiError ? t(e.body.message ?? e.code) : String(e), 'error'),
        );
        await tokens(u);
      });
      ul.append(
        h(
          'li',
          { 'data-token': x.id },
          x.kind === 'api'
            ? tr('接口令牌', 'API token')
            : x.kind === 'device'
              ? tr('设备登录', 'Device session')
              : tr('登录会话', 'Session'),
          x.name ? ` “${x.name}”` : '',
          ` · ${tr('签发', 'issued')} ${when(x.createdAt)} · ${tr('到期', 'expires')} ${when(x.expiresAt)}`,
          x.current ? ` · ${tr('本次会话', 'this session')}` : '',
          ' ',
          x.current ? null : revoke,
        ),
      );
    }
    if (!r.items.length) ul.append(h('li', {}, tr('没有有效的令牌', 'No live tokens')));
    const issue = u.roles.includes('service') && manageable(u) ? issueForm(u, () => tokens(u)) : null;
    fill(
      panel,
      h('h2', {}, tr(`${u.displayName ?? u.username} 的令牌`, `Tokens of ${u.displayName ?? u.username}`)),
      ul,
      issue,
    );
  };

  const issueForm = (u: User, reload: () => Promise<void>) => {
    const name = h('input', { autocomplete: 'off' });
    const days = h('input', { inputmode: 'numeric', value: '30' });
    const whole = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      { id: 'token-form', novalidate: true },
      h('h3', {}, tr('为对接账号签发令牌', 'Issue a token for this integration account')),
      field('token-name', tr('用途', 'Purpose'), name),
      field('token-days', tr('有效天数', 'Days valid'), days),
      whole,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, tr('签发', 'Issue'))),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearErrors(form);
      void api<{ token: string; expiresAt: string }>('POST', '/api/tokens', {
        name: name.value.trim(),
        username: u.username,
        expiresInDays: Number(days.value),
      })
        .then(async (r) => {
          await reload();
          document
            .getElementById('user-panel')
            ?.append(
              h(
                'p',
                { id: 'new-token', class: 'ok' },
                tr('令牌只显示这一次，请立即保存：', 'The token is shown this once; keep it now: '),
                h('code', {}, r.token),
              ),
            );
        })
        .catch((e) => showErrors(e, { name, expiresInDays: days }, whole));
    });
    return form;
  };

  app.append(list, panel, createForm(mine, myPerms, units, me.user.orgUnit, load));
  await load();
  app.append(await deviceSessions());
}

/** The form that creates a user: only the roles this admin holds, and the integration role. */
function createForm(
  mine: Set<string>,
  myPerms: Set<string>,
  units: Map<string, string>,
  myUnit: string,
  reload: () => Promise<void>,
): HTMLElement {
  const username = h('input', { autocomplete: 'off' });
  const displayName = h('input', { autocomplete: 'off' });
  const orgUnit = h('select', {});
  for (const [code, name] of units.size ? units : new Map([[myUnit, myUnit]]))
    orgUnit.append(h('option', { value: code, selected: code === myUnit }, `${name}（${code}）`));
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  const grantable = ROLES.filter((r) => r === 'service' || mine.has(r));
  const roleBoxes = grantable.map((r) =>
    h('input', { type: 'checkbox', id: `new-role-${r}`, value: r, name: 'roles' }),
  );
  const roles = h(
    'fieldset',
    { id: 'new-roles', 'aria-describedby': 'new-roles-err' },
    h('legend', {}, tr('角色（只能授予您自己拥有的角色）', 'Roles (only those you hold yourself)')),
    ...grantable.map((r, i) =>
      h('label', { class: 'choice', for: `new-role-${r}` }, roleBoxes[i], ' ', roleLabel(r)),
    ),
    h('p', { class: 'error', id: 'new-roles-err' }),
  );
  const pii = h('input', { type: 'checkbox', id: 'new-pii' });
  const whole = h('p', { class: 'error', role: 'alert', id: 'new-user-error' });
  const form = h(
    'form',
    { id: 'user-form', novalidate: true },
    h('h2', {}, tr('新建用户', 'Create a user')),
    field(
      'new-username',
      tr('用户名', 'Username'),
      username,
      tr('字母、数字、点、横线', 'Letters, digits, dots, dashes'),
    ),
    field('new-displayName', tr('姓名', 'Name'), displayName),
    field('new-orgUnit', tr('单位', 'Unit'), orgUnit),
    roles,
    myPerms.has('pii')
      ? h(
          'label',
          { class: 'choice', for: 'new-pii' },
          pii,
          ' ',
          tr('可查看完整身份证号和电话', 'May see full ID and phone numbers'),
        )
      : null,
    field('new-password', tr('初始密码', 'First password'), password),
    whole,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'create-user' }, tr('新建', 'Create')),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    fill(whole);
    const chosen = roleBoxes.filter((b) => b.checked).map((b) => b.value);
    void api('POST', '/api/users', {
      username: username.value.trim(),
      password: password.value,
      ...(displayName.value.trim() ? { displayName: displayName.value.trim() } : {}),
      orgUnit: orgUnit.value,
      roles: chosen,
      ...(pii.checked ? { permissions: ['pii'] } : {}),
    })
      .then(async () => {
        status(tr(`已新建用户 ${username.value.trim()}`, `Created ${username.value.trim()}`), 'ok');
        form.reset();
        await reload();
      })
      .catch((e) => showErrors(e, { username, password, displayName, orgUnit, roles }, whole));
  });
  return form;
}
