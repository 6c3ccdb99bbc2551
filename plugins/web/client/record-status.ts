import { confirmDialog } from './actions.ts';
import { ApiError, api } from './api.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';
import { headName, listId, type RecordShow, type RegisterDef, statusText } from './register-records.ts';
import { errorWords, regUrl } from './register-ui.ts';
import { status } from './status.ts';
import { chinaDay } from './work-words.ts';

/**
 * A record's status on its page: the change form (a declared status, its reason, the day it takes
 * effect) behind a confirmation naming the family and what follows, and each change as a sentence
 * of the timeline.
 */

export interface StatusLine {
  status: string;
  reason: string | null;
  effective: string;
  actor: string | null;
  at: string;
}

/** One status change as a sentence: from which day, which status (and reason), by whom. */
export function statusSentence(def: RegisterDef, s: StatusLine): string {
  const what = statusText(def, { status: s.status, statusReason: s.reason });
  const who = s.actor ?? tr('系统', 'the system');
  return tr(`自 ${s.effective} 起${what}，由 ${who} 记入`, `${what} from ${s.effective}, recorded by ${who}`);
}

/** What a change to `to` does from `day`, in words for the confirmation. */
const consequence = (to: string, day: string): string =>
  to === 'active'
    ? tr(
        `自 ${day} 起这户重新在册：列入附件3名单，可以再复查。`,
        `From ${day} the family is on the register again: it is in the Annex 3 roster and can be re-surveyed.`,
      )
    : tr(
        `自 ${day} 起这户不再列入附件3名单，复查也随之停止。`,
        `From ${day} the family leaves the Annex 3 roster and its re-surveys stop.`,
      );

/** The form that changes the record's status; `reload` draws the page again after a change. */
export function statusBox(def: RegisterDef, show: RecordShow, reload: () => Promise<void>): HTMLElement {
  const r = show.record;
  const today = chinaDay();
  const choices = def.statuses.filter((s) => s.id !== r.status);
  const to = h(
    'select',
    { id: 'status-to', required: true },
    ...choices.map((s) => h('option', { value: s.id }, t(s.label))),
  );
  const reason = h('select', { id: 'status-reason', 'aria-describedby': 'status-error' });
  const reasonLabel = h('label', { for: 'status-reason' }, tr('原因', 'Reason'), ' ', reason);
  const day = h('input', {
    id: 'status-effective',
    type: 'date',
    required: true,
    max: today,
    value: today,
    'aria-describedby': 'status-day-help status-error',
  });
  const error = h('p', { id: 'status-error', class: 'error', role: 'alert' });
  const reasonsOf = (id: string) => def.statuses.find((s) => s.id === id)?.reasons ?? [];
  const showReasons = () => {
    const list = reasonsOf(to.value);
    reason.replaceChildren(...list.map((x) => h('option', { value: x.value }, t(x.label))));
    reason.required = list.length > 0;
    reasonLabel.hidden = list.length === 0;
  };
  to.addEventListener('change', showReasons);
  to.value = choices.find((s) => s.id === 'closed')?.id ?? choices[0]?.id ?? '';
  showReasons();
  const btn = h(
    'button',
    { type: 'submit', id: 'status-go', class: 'danger' },
    tr('变更状态', 'Change status'),
  );
  const form = h(
    'form',
    { id: 'status-change', class: 'filters', novalidate: true },
    h('label', { for: 'status-to' }, tr('新状态', 'New status'), ' ', to),
    reasonLabel,
    h('label', { for: 'status-effective' }, tr('生效日期', 'Effective from'), ' ', day),
    btn,
    h(
      'p',
      { id: 'status-day-help', class: 'help' },
      tr(
        '生效日期为实际发生的日子（如死亡日期），不能晚于今天。',
        'The day it happened (e.g. the day of death); not later than today.',
      ),
    ),
    error,
  );
  const fail = (field: HTMLElement, words: string) => {
    field.setAttribute('aria-invalid', 'true');
    error.textContent = words;
    field.focus();
    status(words, 'error');
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const f of [to, reason, day]) f.removeAttribute('aria-invalid');
    error.textContent = '';
    const effective = day.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(effective) || effective > today)
      return fail(day, tr('请填写不晚于今天的生效日期', 'Give an effective day not later than today'));
    const target = def.statuses.find((s) => s.id === to.value);
    if (!target) return fail(to, tr('请选择新状态', 'Choose the new status'));
    const why = reasonsOf(target.id).find((x) => x.value === reason.value);
    if (reasonsOf(target.id).length > 0 && !why) return fail(reason, tr('请选择原因', 'Choose the reason'));
    const words = `${t(target.label)}${why ? tr(`（${t(why.label)}）`, ` (${t(why.label)})`) : ''}`;
    const ok = await confirmDialog({
      title: tr(`确认将这一户变更为“${words}”？`, `Change this family to "${words}"?`),
      family: tr(
        `户主：${headName(r)}（身份证 ${listId(r.key)}）`,
        `Head of household: ${headName(r)} (ID ${listId(r.key)})`,
      ),
      consequence: consequence(target.id, effective),
      confirmLabel: tr('变更状态', 'Change status'),
    });
    if (!ok) return status(tr('已取消，记录未改变', 'Cancelled; the record is unchanged'), 'info');
    btn.disabled = true;
    try {
      await api('POST', regUrl(`/records/${encodeURIComponent(r.id)}/status`), {
        status: target.id,
        ...(why ? { reason: why.value } : {}),
        effective,
      });
      await reload();
      status(tr(`已变更为“${words}”`, `Changed to "${words}"`), 'ok');
    } catch (err) {
      btn.disabled = false;
      const code = err instanceof ApiError ? err.code : '';
      fail(
        code === 'NX_ERR_REGISTERS_BAD_DATE' ? day : code === 'NX_ERR_REGISTERS_BAD_STATUS' ? reason : to,
        errorWords(err),
      );
    }
  });
  return form;
}
