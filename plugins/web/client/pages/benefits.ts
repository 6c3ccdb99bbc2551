import { maskId } from '../actions.ts';
import { api } from '../api.ts';
import { h, listTable } from '../dom.ts';
import { tr } from '../i18n.ts';
import { benefitStatusLabel, typeLabel, yuan } from '../money.ts';

export interface BenefitJson {
  id: string;
  householdKey: string;
  headName: string;
  orgCode: string;
  type: string;
  period: string;
  amountCents: number;
  status: string;
  startMonth: string;
  endMonth: string | null;
  nextReviewOn: string | null;
  caseId: string;
  applicationId: string;
  version: number;
}

/** An amount as a benefit states it: per month, or once. */
export const benefitAmount = (b: Pick<BenefitJson, 'amountCents' | 'period'>): string =>
  b.period === 'once'
    ? tr(`一次性 ${yuan(b.amountCents)}`, `${yuan(b.amountCents)} once`)
    : tr(`每月 ${yuan(b.amountCents)}`, `${yuan(b.amountCents)} a month`);

/** The benefits of the caller's area: family, type, amount in force, state; each opens its page. */
export async function benefitsPage(app: HTMLElement): Promise<void> {
  const items = (await api<{ items: BenefitJson[] }>('GET', '/api/plugins/benefits/benefits?limit=500'))
    .items;
  if (!items.length) {
    app.append(h('p', { class: 'muted' }, tr('辖区内没有救助待遇', 'No benefits in your area')));
    return;
  }
  app.append(
    listTable(
      { id: 'benefits' },
      tr(`救助待遇（${items.length}）`, `Benefits (${items.length})`),
      [
        [
          tr('户主', 'Head of household'),
          (b) => h('a', { href: `/app/benefits/${encodeURIComponent(b.id)}` }, b.headName),
        ],
        [tr('身份证号码', 'ID number'), (b) => maskId(b.householdKey)],
        [tr('类别', 'Type'), (b) => typeLabel(b.type)],
        [tr('金额', 'Amount'), benefitAmount],
        [tr('状态', 'State'), (b) => benefitStatusLabel(b.status)],
        [tr('起始月份', 'From'), (b) => b.startMonth],
        [tr('复核日期', 'Review on'), (b) => b.nextReviewOn ?? ''],
      ],
      items,
      (b) => ({ 'data-benefit': b.id, 'data-status': b.status }),
    ),
  );
}
