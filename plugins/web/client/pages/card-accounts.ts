import { maskId } from '../actions.ts';
import { ApiError, api, hasRole } from '../api.ts';
import { append, fill, h, scrollBox } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { errorText, field, maskAccount } from '../money.ts';
import { status } from '../status.ts';

interface Account {
  idNumber: string;
  accountNumber: string;
  bankName: string;
  holderName: string;
  phone: string | null;
  orgCode: string;
  updatedAt: string;
}

const COLUMNS = (): [keyof Account, string][] => [
  ['holderName', tr('持卡人', 'Holder')],
  ['idNumber', tr('身份证号码', 'ID number')],
  ['accountNumber', tr('社保卡账号', 'Card account')],
  ['bankName', tr('开户银行', 'Bank')],
  ['phone', tr('手机号码', 'Mobile')],
  ['orgCode', tr('单位', 'Unit')],
  ['updatedAt', tr('更新', 'Updated')],
];

function cell(a: Account, k: keyof Account): string {
  if (k === 'idNumber') return maskId(a.idNumber);
  if (k === 'accountNumber') return maskAccount(a.accountNumber);
  if (k === 'phone') return a.phone ? `${a.phone.slice(0, 3)}****${a.phone.slice(-4)}` : '';
  if (k === 'updatedAt') return when(a.updatedAt);
  return String(a[k] ?? '');
}

/** 人社 adds or corrects one account: the server checks all fields and names each problem. */
function accountForm(reload: () => Promise<void>): HTMLElement {
  const inputs = {
    idNumber: h('input', { maxlength: 18, autocomplete: 'off', inputmode: 'text' }),
    holderName: h('input', { maxlength: 40, autocomplete: 'off' }),
    accountNumber: h('input', { maxlength: 30, inputmode: 'numeric', autocomplete: 'off' }),
    bankName: h('input', { maxlength: 60 }),
    phone: h('input', { maxlength: 11, inputmode: 'tel', autocomplete: 'off' }),
  };
  const fields = {
    idNumber: field('acct-idNumber', tr('身份证号码', 'ID number'), inputs.idNumber),
    holderName: field(
      'acct-holderName',
      tr('持卡人姓名（须与户主一致）', 'Holder’s name (as the head of household’s)'),
      inputs.holderName,
    ),
    accountNumber: field(
      'acct-accountNumber',
      tr('社会保障卡账号（12–30 位数字）', 'Card account (12–30 digits)'),
      inputs.accountNumber,
    ),
    bankName: field('acct-bankName', tr('开户银行', 'Bank'), inputs.bankName),
    phone: field(
      'acct-phone',
      tr('手机号码（可选，用于到账短信）', 'Mobile (optional, for the payment text)'),
      inputs.phone,
    ),
  };
  const save = h(
    'button',
    { type: 'submit', class: 'primary', id: 'save-account' },
    tr('保存账户', 'Save the account'),
  );
  const form = h(
    'form',
    { id: 'account-form', novalidate: true },
    ...Object.values(fields).map((f) => f.el),
    h('div', { class: 'actions' }, save),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const f of Object.values(fields)) f.invalid('');
    const row: Record<string, string> = {};
    for (const [k, el] of Object.entries(inputs)) if (el.value.trim()) row[k] = el.value.trim();
    const missing = (['idNumber', 'holderName', 'accountNumber', 'bankName'] as const).filter((k) => !row[k]);
    for (const k of missing) fields[k].invalid(tr('此项必填', 'Required'));
    if (missing[0]) {
      inputs[missing[0]].focus();
      return;
    }
    save.disabled = true;
    try {
      const r = await api<{ created: number; updated: number; unchanged: number }>(
        'POST',
        '/api/payments/card-accounts',
        { rows: [row] },
      );
      form.reset();
      await reload();
      status(
        r.created
          ? tr('账户已新增', 'The account is added')
          : r.updated
            ? tr('账户已更新', 'The account is updated')
            : tr('账户与已有记录相同，未改变', 'Same as the account on record; nothing changed'),
        'ok',
      );
    } catch (err) {
      const problems = err instanceof ApiError ? (err.body.errors ?? []) : [];
      let first: HTMLElement | undefined;
      for (const p of problems) {
        const k = p.path.split('/').at(-1) as keyof typeof fields;
        if (fields[k]) {
          fields[k].invalid(t(p.message));
          first ??= inputs[k];
        }
      }
      first?.focus();
      status(errorText(err), 'error');
    } finally {
      save.disabled = false;
    }
  });
  return h(
    'section',
    { 'aria-labelledby': 'acct-h' },
    h('h2', { id: 'acct-h' }, tr('新增或更正账户', 'Add or correct an account')),
    h(
      'p',
      { class: 'help' },
      tr(
        '同一身份证号码再次保存即为更正；发放失败的行在账户更正后转入下月批次补发。',
        'Saving an ID number again corrects it; a failed line is carried to the next month’s batch once the account is right.',
      ),
    ),
    form,
  );
}

/** The social-security card accounts of 人社's county: the list (masked) and the form to keep them. */
export async function cardAccountsPage(app: HTMLElement): Promise<void> {
  const list = h('div', { id: 'accounts-list' });
  let after: string | null = null;
  const rows: Account[] = [];
  const more = h('button', { type: 'button', id: 'more-accounts', hidden: true }, tr('更多', 'More'));
  const load = async (reset: boolean) => {
    if (reset) {
      rows.length = 0;
      after = null;
    }
    const q = new URLSearchParams({ limit: '100', ...(after ? { after } : {}) });
    const r = await api<{ items: Account[]; next: string | null }>('GET', `/api/payments/card-accounts?${q}`);
    rows.push(...r.items);
    after = r.next;
    more.hidden = !r.next;
    fill(
      list,
      rows.length
        ? scrollBox(
            h(
              'table',
              { class: 'list', id: 'accounts' },
              h('caption', {}, tr(`社会保障卡账户（${rows.length}）`, `Card accounts (${rows.length})`)),
              h('thead', {}, h('tr', {}, ...COLUMNS().map(([, l]) => h('th', { scope: 'col' }, l)))),
              h(
                'tbody',
                {},
                ...rows.map((a) => h('tr', {}, ...COLUMNS().map(([k]) => h('td', {}, cell(a, k))))),
              ),
            ),
          )
        : h('p', { class: 'muted' }, tr('还没有账户', 'No accounts yet')),
    );
  };
  more.addEventListener('click', () => void load(false).catch((e) => status(errorText(e), 'error')));
  if (hasRole('hrss')) app.append(accountForm(() => load(true)));
  append(app, h('h2', {}, tr('本辖区账户', 'Accounts of your area')), list, more);
  await load(true);
}
