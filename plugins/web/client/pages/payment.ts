import { confirmDialog, maskId } from '../actions.ts';
import { ApiError, api, hasRole } from '../api.ts';
import { append, byId, fill, h, listTable } from '../dom.ts';
import { download } from '../download.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import {
  batchStatusLabel,
  blockReasonLabel,
  errorText,
  facts,
  field,
  lineStatusLabel,
  maskAccount,
  typeLabel,
  yuan,
} from '../money.ts';
import type { BatchView, Group, LineView, Reconciliation } from '../payment-types.ts';
import { status } from '../status.ts';

const PAYABLE = ['approved', 'reconciled'];

/** The state of a line in words, with the bank's or the block's reason. */
function lineState(l: LineView): HTMLElement {
  const why = l.status === 'blocked' ? blockReasonLabel(l.blockReason) : l.resultReason;
  return h(
    'span',
    {},
    lineStatusLabel(l.status),
    why ? h('span', { class: 'reason' }, `：${why}`) : null,
    l.resultDate ? h('small', {}, ` ${l.resultDate}`) : null,
    l.carriedTo ? h('small', {}, tr('（已转入后续批次补发）', ' (carried to a later batch)')) : null,
  );
}

/** The lines of a batch: who, masked ID and account, type, the month paid for, amount, state. */
function linesTable(id: string, caption: string, lines: readonly LineView[]): HTMLElement {
  if (!lines.length) return h('p', { class: 'muted', id }, tr('无', 'None'));
  return listTable(
    { id },
    caption,
    [
      [tr('行号', 'No.'), (l) => l.lineNo],
      [tr('姓名', 'Name'), (l) => l.name],
      [tr('身份证号码', 'ID number'), (l) => maskId(l.idNumber)],
      [tr('社保卡账号', 'Card account'), (l) => maskAccount(l.accountNumber) || tr('无', 'none')],
      [tr('类别', 'Type'), (l) => typeLabel(l.type)],
      [
        tr('所属月份', 'Month paid for'),
        (l) => [l.month, l.carriedFrom ? h('strong', { class: 'flag' }, tr(' 补发', ' carried over')) : null],
      ],
      [tr('金额', 'Amount'), (l) => yuan(l.amountCents)],
      [tr('状态', 'State'), lineState],
    ],
    lines,
    (l) => ({ 'data-line': l.lineNo, 'data-status': l.status, class: l.carriedFrom ? 'carried' : null }),
  );
}

/** What the batch is, for the header and for a confirmation: county, month, lines, total. */
const describe = (b: BatchView) =>
  tr(
    `${b.orgName}（${b.orgCode}）${b.month} 发放批次：${b.totals.count} 行，合计 ${yuan(b.totals.amountCents)}`,
    `${b.orgName} (${b.orgCode}) batch for ${b.month}: ${b.totals.count} lines, total ${yuan(b.totals.amountCents)}`,
  );

function batchFacts(b: BatchView): HTMLElement {
  const byType = Object.entries(b.totals.byType)
    .map(([k, v]) =>
      tr(
        `${typeLabel(k)} ${v.count} 行 ${yuan(v.amountCents)}`,
        `${typeLabel(k)} ${v.count} lines ${yuan(v.amountCents)}`,
      ),
    )
    .join('；');
  return facts('batch-facts', [
    [tr('县（市、区）', 'County'), `${b.orgName}（${b.orgCode}）`],
    [tr('发放月份', 'Month'), b.month],
    [tr('状态', 'State'), batchStatusLabel(b.status)],
    [tr('代理银行', 'Agent bank'), b.bankName],
    [
      tr('导出银行的行', 'Lines for the bank'),
      tr(
        `${b.totals.count} 行，合计 ${yuan(b.totals.amountCents)}`,
        `${b.totals.count} lines, total ${yuan(b.totals.amountCents)}`,
      ),
    ],
    [tr('按类别', 'By type'), byType],
    [
      tr('受阻（不导出）', 'Blocked (not exported)'),
      b.totals.blockedCount
        ? tr(
            `${b.totals.blockedCount} 行，${yuan(b.totals.blockedCents)}`,
            `${b.totals.blockedCount} lines, ${yuan(b.totals.blockedCents)}`,
          )
        : '',
    ],
    [tr('生成', 'Generated'), `${b.generatedBy} · ${when(b.generatedAt)}`],
    [tr('财政审核', 'Finance'), b.decidedBy ? `${b.decidedBy} · ${when(b.decidedAt)}` : ''],
    [tr('退回原因', 'Reason returned'), b.returnReason],
    [tr('代发文件首次下载', 'Bank file first downloaded'), b.exportedAt ? when(b.exportedAt) : ''],
  ]);
}

/** Finance: return (a reason required) or approve the whole batch, each after a confirmation. */
function financeActions(b: BatchView, reload: () => Promise<void>): HTMLElement {
  const reason = h('textarea', { rows: 2, maxlength: 500 });
  const f = field('return-reason', tr('退回原因（退回时必填）', 'Reason (required to return)'), reason);
  const ret = h('button', { type: 'button', class: 'danger', id: 'return-batch' }, tr('退回', 'Return'));
  const ok = h(
    'button',
    { type: 'button', class: 'primary', id: 'approve-batch' },
    tr('审核通过', 'Approve'),
  );
  const act = async (action: 'approve' | 'return', btn: HTMLButtonElement) => {
    const text = reason.value.trim();
    f.invalid('');
    if (action === 'return' && !text) {
      f.invalid(tr('退回须填写原因', 'Returning needs a reason'));
      reason.focus();
      return;
    }
    const yes = await confirmDialog({
      title:
        action === 'approve'
          ? tr('确认审核通过整个批次？', 'Approve the whole batch?')
          : tr('确认退回整个批次？', 'Return the whole batch?'),
      family: describe(b),
      consequence:
        action === 'approve'
          ? tr(
              '通过后批次交代理银行发放，不能再修改或退回。',
              'The batch goes to the agent bank to pay; it cannot be changed or returned afterwards.',
            )
          : tr(
              '退回后批次作废，民政部门须重新生成该月批次。',
              'The batch is void; civil affairs must generate the month again.',
            ),
      ...(action === 'return' ? { comment: text } : {}),
      confirmLabel: action === 'approve' ? tr('审核通过', 'Approve') : tr('退回', 'Return'),
    });
    if (!yes) {
      status(tr('已取消，批次未改变', 'Cancelled; the batch is unchanged'));
      btn.focus();
      return;
    }
    btn.disabled = true;
    try {
      await api(
        'POST',
        `/api/payments/batches/${encodeURIComponent(b.id)}/${action}`,
        action === 'return' ? { reason: text } : {},
      );
      await reload();
      status(
        action === 'approve'
          ? tr('批次已审核通过', 'The batch is approved')
          : tr('批次已退回', 'The batch is returned'),
        'ok',
      );
    } catch (e) {
      status(errorText(e), 'error');
      btn.disabled = false;
    }
  };
  ret.addEventListener('click', () => void act('return', ret));
  ok.addEventListener('click', () => void act('approve', ok));
  return h(
    'section',
    { 'aria-labelledby': 'finance-h' },
    h('h2', { id: 'finance-h' }, tr('财政审核', 'Finance decision')),
    h(
      'p',
      { class: 'help' },
      tr(
        '财政只能整批通过或退回，不能修改发放行。',
        'Finance approves or returns the whole batch; it cannot edit lines.',
      ),
    ),
    f.el,
    h('div', { class: 'actions', id: 'finance-actions' }, ret, ok),
  );
}

/** The bank: the bank file to download, the return file to upload, and what the import did. */
function bankActions(b: BatchView, reload: () => Promise<void>): HTMLElement {
  const enc = encodeURIComponent(b.id);
  const name = `payment-${b.orgCode}-${b.month}-${b.id.slice(0, 8)}`;
  const dl = (format: 'csv' | 'xlsx') => {
    const btn = h(
      'button',
      { type: 'button', id: `bank-file-${format}` },
      tr(`下载代发文件（${format.toUpperCase()}）`, `Download the bank file (${format.toUpperCase()})`),
    );
    btn.addEventListener(
      'click',
      () =>
        void download(`/api/payments/batches/${enc}/bank-file?format=${format}`, `${name}.${format}`).then(
          () => status(tr('代发文件已下载', 'The bank file is downloaded'), 'ok'),
          (e) => status(errorText(e), 'error'),
        ),
    );
    return btn;
  };
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const f = field('return-file', tr('银行回盘文件（CSV）', 'Return file (CSV)'), file);
  const up = h(
    'button',
    { type: 'button', class: 'primary', id: 'import-return' },
    tr('导入回盘文件', 'Import the return file'),
  );
  const result = h('div', { id: 'import-result', role: 'status' });
  up.addEventListener('click', async () => {
    f.invalid('');
    const chosen = file.files?.[0];
    if (!chosen) {
      f.invalid(tr('请选择回盘文件', 'Choose the return file'));
      file.focus();
      return;
    }
    up.disabled = true;
    try {
      const r = await api<{
        duplicate: boolean;
        paid: number;
        failed: number;
        unchanged: number;
        smsQueued: number;
        message: unknown;
      }>('POST', `/api/payments/batches/${enc}/return-file`, {
        content: await chosen.text(),
        fileName: chosen.name,
      });
      await reload();
      fill(
        byId('import-result'),
        h('p', { class: r.duplicate ? 'muted' : 'ok' }, t(r.message)),
        h(
          'p',
          {},
          tr(
            `成功 ${r.paid} 行，失败 ${r.failed} 行，无变化 ${r.unchanged} 行；短信通知 ${r.smsQueued} 条`,
            `Paid ${r.paid}, failed ${r.failed}, unchanged ${r.unchanged}; ${r.smsQueued} text messages queued`,
          ),
        ),
      );
      status(tr('回盘文件已导入', 'The return file is imported'), 'ok');
    } catch (e) {
      const problems = e instanceof ApiError ? (e.body.errors ?? []) : [];
      f.invalid(errorText(e));
      fill(
        result,
        problems.length
          ? h(
              'ul',
              { class: 'problems' },
              ...problems.map((p) => h('li', {}, t(p.message), p.hint ? ` — ${t(p.hint)}` : '')),
            )
          : null,
      );
      status(e instanceof ApiError ? t(e.body.message ?? e.code) : String(e), 'error');
    } finally {
      up.disabled = false;
    }
  });
  return h(
    'section',
    { 'aria-labelledby': 'bank-h' },
    h('h2', { id: 'bank-h' }, tr('银行代发', 'Bank')),
    h('div', { class: 'actions' }, dl('csv'), dl('xlsx')),
    f.el,
    h('div', { class: 'actions' }, up),
    result,
  );
}

function group(id: string, title: string, g: Group): HTMLElement[] {
  return [
    h(
      'h3',
      { id: `${id}-h` },
      title,
      ` · ${tr(`${g.count} 行`, `${g.count} lines`)} · ${yuan(g.amountCents)}`,
    ),
    linesTable(id, title, g.lines),
  ];
}

/** Paid, failed (with the bank's reason), missing (no answer yet) and blocked, and the files imported. */
async function reconciliation(id: string): Promise<HTMLElement> {
  const r = await api<Reconciliation>(
    'GET',
    `/api/payments/batches/${encodeURIComponent(id)}/reconciliation`,
  );
  return h(
    'section',
    { id: 'reconciliation', 'aria-labelledby': 'rec-h' },
    h('h2', { id: 'rec-h' }, tr('对账', 'Reconciliation')),
    ...group('rec-paid', tr('已发放', 'Paid'), r.paid),
    ...group('rec-failed', tr('发放失败', 'Failed'), r.failed),
    ...group('rec-missing', tr('未回盘', 'No answer yet'), r.missing),
    ...group('rec-blocked', tr('受阻', 'Blocked'), r.blocked),
    h('h3', {}, tr('已导入的回盘文件', 'Return files imported')),
    r.returnFiles.length
      ? h(
          'ul',
          { id: 'return-files' },
          ...r.returnFiles.map((f) =>
            h(
              'li',
              {},
              `${f.fileName ?? ''} · ${f.importedBy} ${when(f.importedAt)} · `,
              tr(
                `成功 ${f.paid}，失败 ${f.failed}，无变化 ${f.unchanged}`,
                `paid ${f.paid}, failed ${f.failed}, unchanged ${f.unchanged}`,
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, tr('尚未导入', 'None yet')),
  );
}

/** One batch: its facts and totals, the decision or the bank's part, its lines, reconciliation. */
export async function paymentPage(app: HTMLElement): Promise<void> {
  const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const draw = async (): Promise<void> => {
    const { batch: b, lines } = await api<{ batch: BatchView; lines: LineView[] }>(
      'GET',
      `/api/payments/batches/${encodeURIComponent(id)}`,
    );
    const carried = lines.filter((l) => l.carriedFrom);
    fill(app);
    append(
      app,
      h('p', { id: 'batch-status', tabindex: -1 }, `${describe(b)} · ${batchStatusLabel(b.status)}`),
      batchFacts(b),
      hasRole('finance') && b.status === 'pending_finance' ? financeActions(b, draw) : null,
      hasRole('bank') && PAYABLE.includes(b.status) ? bankActions(b, draw) : null,
      h('h2', { id: 'lines-h' }, tr('发放行', 'Lines'), ` (${lines.length})`),
      carried.length
        ? h(
            'p',
            { id: 'carried-note' },
            tr(
              `其中 ${carried.length} 行为此前失败或受阻的补发（标“补发”，所属月份为原月份）。`,
              `${carried.length} lines carry earlier failed or blocked ones (marked “carried over”, with their own month).`,
            ),
          )
        : null,
      linesTable('lines', tr('本批次全部发放行', 'Every line of the batch'), lines),
      PAYABLE.includes(b.status) ? await reconciliation(b.id) : null,
      h('p', {}, h('a', { href: '/app/payments' }, tr('返回批次列表', 'Back to the batches'))),
    );
  };
  await draw();
  const q = new URLSearchParams(location.search);
  if (q.has('created')) status(tr('已生成发放批次', 'The batch is generated'), 'ok');
  if (q.has('existing'))
    status(
      tr('该县该月已有批次，已打开它', 'The county already has a batch for that month: here it is'),
      'info',
    );
}
