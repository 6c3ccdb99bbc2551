import { ApiError } from './api.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';

/** Money, benefits and payment batches in words: amounts in yuan, types and states as people say them. */

/** Yuan with two decimals from integer fen (never through floating point), with the unit. */
export function yuan(cents: number): string {
  const a = Math.abs(cents);
  const whole = Math.floor(a / 100).toLocaleString('en-US');
  return `${cents < 0 ? '-' : ''}${whole}.${String(a % 100).padStart(2, '0')} ${tr('元', 'yuan')}`;
}

const label = (map: Record<string, [string, string]>, v: string | null | undefined): string => {
  const m = v ? map[v] : undefined;
  return m ? tr(m[0], m[1]) : (v ?? '');
};

export const typeLabel = (v: string): string =>
  label(
    {
      dibao: ['低保', 'Minimum living guarantee'],
      tekun: ['特困供养', 'Extreme poverty support'],
      linshi: ['临时救助', 'Temporary assistance'],
    },
    v,
  );

export const batchStatusLabel = (v: string): string =>
  label(
    {
      pending_finance: ['待财政审核', 'Awaiting finance'],
      returned: ['财政已退回', 'Returned by finance'],
      approved: ['已审核，待银行发放', 'Approved, for the bank to pay'],
      reconciled: ['已对账', 'Reconciled'],
    },
    v,
  );

export const lineStatusLabel = (v: string): string =>
  label(
    {
      pending: ['待银行回盘', 'Awaiting the bank'],
      blocked: ['受阻（未导出）', 'Blocked (not exported)'],
      paid: ['已发放', 'Paid'],
      failed: ['发放失败', 'Failed'],
      withdrawn: ['已撤回', 'Withdrawn'],
    },
    v,
  );

export const blockReasonLabel = (v: string | null): string =>
  label(
    {
      no_account: ['没有社会保障卡账户', 'No card account'],
      holder_mismatch: ['持卡人与户主姓名不符', 'Card holder’s name differs from the head’s'],
    },
    v,
  );

export const benefitStatusLabel = (v: string): string =>
  label(
    {
      active: ['正常发放', 'Active'],
      suspended: ['已暂停', 'Suspended'],
      stopped: ['已停止', 'Stopped'],
    },
    v,
  );

/** An account number as a page shows it: the last four digits. */
export const maskAccount = (s: string | null): string => (s ? `****${s.slice(-4)}` : '');

/** The current month in China time, YYYY-MM. */
export const thisMonth = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

/** The message of an API error (its first detail, else its own), in the current language. */
export const errorText = (e: unknown): string =>
  e instanceof ApiError ? t(e.body.errors?.[0]?.message ?? e.body.message ?? e.code) : String(e);

/** A definition list of facts: [term, value] pairs, empty values left out. */
export function facts(id: string, rows: [string, string | Node | null | undefined][]): HTMLDListElement {
  const dl = h('dl', { class: 'facts', id });
  for (const [k, v] of rows)
    if (v !== null && v !== undefined && v !== '') dl.append(h('dt', {}, k), h('dd', {}, v));
  return dl;
}

/** A field with its label and error line; `invalid(msg)` marks it (aria-invalid, highlighted) or clears it. */
export function field(
  id: string,
  labelText: string,
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
): { el: HTMLElement; invalid(msg: string): void } {
  const err = h('p', { id: `${id}-err`, class: 'error' });
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-err`);
  const el = h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, labelText), control, err);
  return {
    el,
    invalid(msg: string) {
      err.textContent = msg;
      el.classList.toggle('invalid', !!msg);
      if (msg) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}
