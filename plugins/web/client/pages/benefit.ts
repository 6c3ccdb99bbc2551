import { confirmDialog, maskId } from '../actions.ts';
import { ApiError, api, hasRole } from '../api.ts';
import { append, fill, h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { benefitStatusLabel, errorText, facts, field, thisMonth, typeLabel, yuan } from '../money.ts';
import { status } from '../status.ts';
import { type BenefitJson, benefitAmount } from './benefits.ts';

interface Change {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  amountCentsBefore: number | null;
  amountCentsAfter: number;
  effectiveMonth: string;
  reason: string;
  actor: string | null;
  at: string;
}

type Action = 'adjust' | 'suspend' | 'resume' | 'stop';

const ACTIONS: Record<Action, { label: [string, string]; from: string[]; consequence: [string, string] }> = {
  stop: {
    label: ['停止', 'Stop'],
    from: ['active', 'suspended'],
    consequence: [
      '自生效月份起不再发放，且不能恢复；如需再救助，须重新申请。',
      'Nothing is paid from the effective month, for good; assistance again needs a new application.',
    ],
  },
  suspend: {
    label: ['暂停', 'Suspend'],
    from: ['active'],
    consequence: [
      '自生效月份起暂停发放，直到恢复。',
      'Payment stops from the effective month until resumed.',
    ],
  },
  resume: {
    label: ['恢复', 'Resume'],
    from: ['suspended'],
    consequence: ['自生效月份起恢复发放。', 'Payment starts again from the effective month.'],
  },
  adjust: {
    label: ['调整金额', 'Adjust amount'],
    from: ['active', 'suspended'],
    consequence: [
      '自生效月份起按新金额发放；此前月份不变。',
      'The new amount is paid from the effective month; earlier months keep theirs.',
    ],
  },
};
/** Left to right: the one that ends the benefit, then the others, the usual one right. */
const ORDER: Action[] = ['stop', 'suspend', 'resume', 'adjust'];

const L = (p: [string, string]) => tr(p[0], p[1]);

/** One change as a sentence: when, who, what, from which month, why. */
function sentence(c: Change, b: BenefitJson): string {
  const who = c.actor ?? tr('系统', 'the system');
  const what = (() => {
    switch (c.action) {
      case 'create':
        return tr(
          `批准${typeLabel(b.type)}，${benefitAmount({ amountCents: c.amountCentsAfter, period: b.period })}，自 ${c.effectiveMonth} 起`,
          `approved ${typeLabel(b.type)}, ${benefitAmount({ amountCents: c.amountCentsAfter, period: b.period })}, from ${c.effectiveMonth}`,
        );
      case 'adjust':
        return tr(
          `将月金额由 ${yuan(c.amountCentsBefore ?? 0)} 调整为 ${yuan(c.amountCentsAfter)}，自 ${c.effectiveMonth} 起`,
          `changed the monthly amount from ${yuan(c.amountCentsBefore ?? 0)} to ${yuan(c.amountCentsAfter)}, from ${c.effectiveMonth}`,
        );
      case 'suspend':
        return tr(`暂停发放，自 ${c.effectiveMonth} 起`, `suspended payment from ${c.effectiveMonth}`);
      case 'resume':
        return tr(`恢复发放，自 ${c.effectiveMonth} 起`, `resumed payment from ${c.effectiveMonth}`);
      case 'stop':
        return tr(`停止发放，自 ${c.effectiveMonth} 起`, `stopped payment from ${c.effectiveMonth}`);
      default:
        return `${c.action} ${c.effectiveMonth}`;
    }
  })();
  return tr(`${when(c.at)} ${who} ${what}。`, `${when(c.at)} ${who} ${what}.`);
}

/** County civil affairs: the four changes, each with a reason (required) and a confirmation. */
function changeForm(b: BenefitJson, reload: () => Promise<void>): HTMLElement {
  const reason = h('textarea', { rows: 2, maxlength: 500 });
  const fReason = field('change-reason', tr('理由（必填）', 'Reason (required)'), reason);
  const month = h('input', { type: 'month', value: thisMonth() });
  const fMonth = field('change-month', tr('生效月份', 'Effective month'), month);
  const amount = h('input', { type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal' });
  const fAmount = field(
    'change-amount',
    tr('新的月金额（元，调整时填写）', 'New monthly amount (yuan, to adjust)'),
    amount,
  );
  const buttons = ORDER.filter(
    (a) => ACTIONS[a].from.includes(b.status) && !(a === 'adjust' && b.period === 'once'),
  ).map((a) => {
    const btn = h(
      'button',
      { type: 'button', 'data-action': a, class: a === 'stop' ? 'danger' : null },
      L(ACTIONS[a].label),
    );
    btn.addEventListener('click', async () => {
      const text = reason.value.trim();
      const value = Number(amount.value);
      fReason.invalid(
        text ? '' : tr(`“${L(ACTIONS[a].label)}”须填写理由`, `"${L(ACTIONS[a].label)}" needs a reason`),
      );
      fMonth.invalid(
        /^\d{4}-(0[1-9]|1[0-2])$/.test(month.value) ? '' : tr('请选择生效月份', 'Choose the effective month'),
      );
      fAmount.invalid(
        a === 'adjust' && !(value > 0)
          ? tr('调整须填写大于 0 的金额', 'Adjusting needs an amount above 0')
          : '',
      );
      const bad = [fReason, fMonth, fAmount].find((f) => f.el.classList.contains('invalid'));
      if (bad) {
        bad.el.querySelector<HTMLElement>('textarea, input')?.focus();
        return;
      }
      const consequence =
        a === 'adjust'
          ? tr(
              `月金额由 ${yuan(b.amountCents)} 改为 ${yuan(Math.round(value * 100))}。`,
              `The monthly amount goes from ${yuan(b.amountCents)} to ${yuan(Math.round(value * 100))}.`,
            ) + L(ACTIONS[a].consequence)
          : L(ACTIONS[a].consequence);
      const yes = await confirmDialog({
        title: tr(
          `确认${L(ACTIONS[a].label)}（自 ${month.value} 起）？`,
          `${L(ACTIONS[a].label)} from ${month.value}?`,
        ),
        family: tr(
          `户主：${b.headName}（身份证 ${maskId(b.householdKey)}）· ${typeLabel(b.type)}`,
          `Head of household: ${b.headName} (ID ${maskId(b.householdKey)}) · ${typeLabel(b.type)}`,
        ),
        consequence,
        comment: text,
        confirmLabel: L(ACTIONS[a].label),
      });
      if (!yes) {
        status(tr('已取消，待遇未改变', 'Cancelled; the benefit is unchanged'));
        btn.focus();
        return;
      }
      btn.disabled = true;
      try {
        await api('POST', `/api/plugins/benefits/benefits/${encodeURIComponent(b.id)}/${a}`, {
          reason: text,
          effectiveMonth: month.value,
          version: b.version,
          ...(a === 'adjust' ? { amount: value } : {}),
        });
        await reload();
        status(tr(`已${L(ACTIONS[a].label)}`, `Done: ${L(ACTIONS[a].label)}`), 'ok');
      } catch (e) {
        const p = e instanceof ApiError ? e.body.errors?.[0]?.path : undefined;
        if (p === '/amount') fAmount.invalid(errorText(e));
        else if (p === '/reason') fReason.invalid(errorText(e));
        status(errorText(e), 'error');
        btn.disabled = false;
      }
    });
    return btn;
  });
  if (!buttons.length)
    return h(
      'p',
      { class: 'muted' },
      tr('此待遇已停止，不能再变更', 'This benefit is stopped; it cannot change'),
    );
  return h(
    'section',
    { 'aria-labelledby': 'change-h' },
    h('h2', { id: 'change-h' }, tr('变更待遇', 'Change the benefit')),
    fReason.el,
    fMonth.el,
    b.period === 'once' ? null : fAmount.el,
    h('div', { class: 'actions', id: 'benefit-actions' }, ...buttons),
  );
}

/** Whether the caller is civil affairs at a county (only they change a benefit; the server refuses others). */
async function countyCivilAffairs(): Promise<boolean> {
  if (!hasRole('reviewer', 'admin')) return false;
  const own = (
    await api<{ items: { level: string }[] }>('GET', '/api/org-units').catch(() => ({ items: [] }))
  ).items[0];
  return own?.level === 'county';
}

/** A benefit: what the family receives now, its changes as sentences, and the changes allowed. */
export async function benefitPage(app: HTMLElement): Promise<void> {
  const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const may = await countyCivilAffairs();
  const draw = async (): Promise<void> => {
    const b = await api<BenefitJson & { changes: Change[] }>(
      'GET',
      `/api/plugins/benefits/benefits/${encodeURIComponent(id)}`,
    );
    fill(app);
    append(
      app,
      h(
        'p',
        { id: 'benefit-status', tabindex: -1 },
        `${b.headName} · ${typeLabel(b.type)} · ${benefitAmount(b)} · ${benefitStatusLabel(b.status)}`,
      ),
      facts('benefit-facts', [
        [tr('户主', 'Head of household'), b.headName],
        [tr('身份证号码', 'ID number'), maskId(b.householdKey)],
        [tr('类别', 'Type'), typeLabel(b.type)],
        [tr('金额', 'Amount'), benefitAmount(b)],
        [tr('状态', 'State'), benefitStatusLabel(b.status)],
        [tr('起始月份', 'First month'), b.startMonth],
        [tr('截止月份', 'Last month'), b.endMonth],
        [tr('下次复核', 'Next review'), b.nextReviewOn],
        [
          tr('申请', 'Application'),
          h(
            'a',
            { href: `/app/cases/${encodeURIComponent(b.applicationId)}` },
            tr('查看审批案件', 'Open the case'),
          ),
        ],
      ]),
      may ? changeForm(b, draw) : null,
      h('h2', {}, tr('变更记录', 'Changes')),
      h(
        'ol',
        { class: 'history', id: 'benefit-history' },
        ...b.changes.map((c) =>
          h(
            'li',
            { 'data-action': c.action },
            sentence(c, b),
            c.reason ? h('span', {}, tr(' 理由：', ' Reason: '), h('q', {}, t(c.reason))) : null,
          ),
        ),
      ),
      h('p', {}, h('a', { href: '/app/benefits' }, tr('返回待遇列表', 'Back to the benefits'))),
    );
  };
  await draw();
}
