import { api, hasRole } from '../api.ts';
import { h, listTable } from '../dom.ts';
import { tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { batchStatusLabel, errorText, field, thisMonth, yuan } from '../money.ts';
import type { BatchView } from '../payment-types.ts';
import { status } from '../status.ts';

const href = (b: BatchView) => `/app/payments/${encodeURIComponent(b.id)}`;

/** The batches as a table: county, month, state, lines and total, each opening the batch. */
function batchTable(id: string, caption: string, items: readonly BatchView[]): HTMLElement {
  if (!items.length) return h('p', { class: 'muted', id }, tr('没有批次', 'No batches'));
  return listTable(
    { id },
    caption,
    [
      [tr('县（市、区）', 'County'), (b) => h('a', { href: href(b) }, b.orgName)],
      [tr('月份', 'Month'), (b) => h('a', { href: href(b) }, b.month)],
      [tr('状态', 'State'), (b) => batchStatusLabel(b.status)],
      [tr('发放行数', 'Lines'), (b) => b.totals.count],
      [tr('合计金额', 'Total'), (b) => yuan(b.totals.amountCents)],
      [
        tr('受阻', 'Blocked'),
        (b) => (b.totals.blockedCount ? `${b.totals.blockedCount} · ${yuan(b.totals.blockedCents)}` : '—'),
      ],
      [tr('代理银行', 'Bank'), (b) => b.bankName],
      [tr('生成', 'Generated'), (b) => `${b.generatedBy} ${when(b.generatedAt)}`],
    ],
    items,
    (b) => ({ 'data-batch': b.id, 'data-status': b.status }),
  );
}

/** Civil affairs generates a county's batch for a month (the same batch again if it exists). */
async function generateForm(): Promise<HTMLElement> {
  const counties = (
    await api<{ items: { code: string; name: string }[] }>('GET', '/api/org-units?level=county').catch(
      () => ({
        items: [],
      }),
    )
  ).items;
  const county = field(
    'gen-county',
    tr('县（市、区）', 'County'),
    h('select', {}, ...counties.map((c) => h('option', { value: c.code }, `${c.name}（${c.code}）`))),
  );
  const monthInput = h('input', { type: 'month', value: thisMonth(), required: true });
  const month = field('gen-month', tr('发放月份', 'Month to pay'), monthInput);
  const go = h(
    'button',
    { type: 'submit', class: 'primary', id: 'generate' },
    tr('生成发放批次', 'Generate the batch'),
  );
  const form = h(
    'form',
    { id: 'generate-form', class: 'filters', novalidate: true },
    county.el,
    month.el,
    h('div', { class: 'actions' }, go),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const m = monthInput.value.trim();
    month.invalid(/^\d{4}-(0[1-9]|1[0-2])$/.test(m) ? '' : tr('请选择月份', 'Choose a month'));
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) return;
    const code = (county.el.querySelector('select') as HTMLSelectElement).value;
    go.disabled = true;
    try {
      const r = await api<{ created: boolean; batch: BatchView }>('POST', '/api/payments/batches', {
        orgCode: code,
        month: m,
      });
      location.assign(`${href(r.batch)}?${r.created ? 'created' : 'existing'}=1`);
    } catch (err) {
      status(errorText(err), 'error');
      go.disabled = false;
    }
  });
  return h(
    'section',
    { 'aria-labelledby': 'gen-h' },
    h('h2', { id: 'gen-h' }, tr('生成发放批次', 'Generate a payment batch')),
    h(
      'p',
      { class: 'help' },
      tr(
        '按县按月从正常发放的救助待遇生成，并带上此前发放失败或受阻、尚未补发的行；同一县同一月份只有一个有效批次。',
        'Made from the benefits payable in the county that month, with earlier failed or blocked lines not yet carried; one live batch per county and month.',
      ),
    ),
    counties.length
      ? form
      : h('p', { class: 'muted' }, tr('您的辖区内没有县级单位', 'No county in your area')),
  );
}

/** Payment batches of the caller's area; finance sees those awaiting its decision first. */
export async function paymentsPage(app: HTMLElement): Promise<void> {
  const items = (await api<{ items: BatchView[] }>('GET', '/api/payments/batches')).items;
  if (hasRole('reviewer', 'admin')) app.append(await generateForm());
  if (hasRole('finance')) {
    const waiting = items.filter((b) => b.status === 'pending_finance');
    app.append(
      h(
        'h2',
        { id: 'awaiting-h' },
        tr('待财政审核的批次', 'Batches awaiting your approval'),
        ` (${waiting.length})`,
      ),
      batchTable('awaiting-batches', tr('待审核', 'Awaiting approval'), waiting),
    );
  }
  if (hasRole('bank')) {
    const toPay = items.filter((b) => b.status === 'approved');
    app.append(
      h(
        'h2',
        { id: 'to-pay-h' },
        tr('待发放、待回盘的批次', 'Batches to pay or to answer'),
        ` (${toPay.length})`,
      ),
      batchTable('to-pay-batches', tr('待发放', 'To pay'), toPay),
    );
  }
  app.append(
    h('h2', { id: 'all-h' }, tr('全部批次', 'All batches'), ` (${items.length})`),
    batchTable('batches', tr('按月份（新的在前）', 'By month, latest first'), items),
  );
}
