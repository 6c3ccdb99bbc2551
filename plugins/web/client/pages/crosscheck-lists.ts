import { ApiError, api, hasRole, session } from '../api.ts';
import { type Catalog, type ListInfo, loadCatalog } from '../crosschecks.ts';
import { fill, h, scrollBox } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { readSheet, SheetError } from '../sheet-file.ts';
import { status } from '../status.ts';
import { chinaDay, errorWords, unitNames, unitText } from '../work-words.ts';

/** The API takes at most this many rows (header included); larger files go through the CLI. */
const MAX_ROWS = 20_001;
const MAX_CELLS = 64;

interface Delivery {
  id: string;
  orgCode: string;
  fileName: string | null;
  rows: number;
  rejected: number;
  importedBy: string;
  importedAt: string;
  validUntil: string;
}

interface RowError {
  row: number;
  field: string;
  code: string;
  message: { 'zh-CN': string; en: string };
}

interface Run {
  comparison: string;
  rows: number;
  matched: number;
  created: number;
  updated: number;
  reopened: number;
  unchanged: number;
  cleared: number;
  skipped: { rule: string; reason: string }[];
}

/** A column pointer (`/idNumber`) as its label, `第 n 列` style words for people. */
const columnWords = (list: ListInfo, pointer: string): string => {
  const id = pointer.replace(/^\//, '');
  const c = list.columns.find((x) => x.id === id);
  return c ? t(c.label) : id ? id : tr('整行', 'whole row');
};

function runsView(catalog: Catalog, list: ListInfo, runs: readonly Run[]): HTMLElement {
  return h(
    'ul',
    { class: 'todo', id: 'run-results' },
    ...runs.map((r) => {
      const c = list.comparisons.find((x) => x.id === r.comparison);
      return h(
        'li',
        { 'data-comparison': r.comparison, 'data-created': r.created },
        h('strong', {}, c ? t(c.title) : r.comparison),
        tr(
          `：比对 ${r.rows} 行，匹配 ${r.matched} 人；新问题 ${r.created}，更新 ${r.updated}，重新打开 ${r.reopened}，未变 ${r.unchanged}，自动关闭 ${r.cleared}`,
          `: ${r.rows} rows compared, ${r.matched} matched; ${r.created} new findings, ${r.updated} updated, ${r.reopened} reopened, ${r.unchanged} unchanged, ${r.cleared} closed by themselves`,
        ),
        ...r.skipped.map((s) =>
          h(
            'div',
            { class: 'muted' },
            tr('未运行的规则：', 'Rule not run: '),
            catalog.ruleTitle({ comparison: r.comparison, rule: s.rule }),
            ` — ${s.reason}`,
          ),
        ),
      );
    }),
  );
}

/**
 * 部门名单 / Department lists: pick a list, deliver a file (CSV or XLSX, read in the browser and
 * sent as rows), see each refused row with its row and column in words, the deliveries with their
 * version per unit and dates, and run a delivery's comparisons again.
 */
export async function crosscheckListsPage(app: HTMLElement): Promise<void> {
  const [catalog, names] = await Promise.all([loadCatalog(), unitNames()]);
  const mayImport = hasRole('admin', 'reviewer');
  const own = session()?.user.orgUnit ?? '';
  const picker = h(
    'select',
    { id: 'list-id' },
    ...catalog.lists.map((l) => h('option', { value: l.id }, `${t(l.department.name)} · ${t(l.title)}`)),
  );
  const pre = new URLSearchParams(location.search).get('list');
  if (pre && catalog.list(pre)) picker.value = pre;
  const about = h('div', { id: 'list-about' });
  const result = h('div', { id: 'import-result', 'aria-live': 'polite' });
  const deliveries = h('div', { id: 'deliveries' });

  // The unit a delivery is for: the caller's own, then the counties (or higher) under it.
  const units = [...names.keys()].filter((c) => c === own || c.length === 6);
  const orgSel = h(
    'select',
    { id: 'delivery-org', 'aria-describedby': 'delivery-org-help' },
    ...units.map((c) => h('option', { value: c, selected: c === own }, unitText(names, c))),
  );
  const fileInput = h('input', {
    id: 'delivery-file',
    type: 'file',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    required: true,
    'aria-describedby': 'delivery-file-help delivery-file-err',
  });
  const fileErr = h('p', { id: 'delivery-file-err', class: 'error' });
  const send = h(
    'button',
    { type: 'submit', class: 'primary', id: 'delivery-send' },
    tr('导入并比对', 'Import and compare'),
  );

  const showAbout = () => {
    const l = catalog.list(picker.value);
    if (!l) return;
    fill(
      about,
      h(
        'p',
        {},
        tr('提供部门：', 'Delivered by: '),
        t(l.department.name),
        tr(
          `；每次交付有效 ${l.validDays} 天；名单定义第 ${l.version} 版。`,
          `; each delivery valid ${l.validDays} days; list definition version ${l.version}.`,
        ),
      ),
      h(
        'details',
        {},
        h(
          'summary',
          {},
          tr('文件应有的列（第 1 行为表头）', 'Columns the file should have (row 1 is the header)'),
        ),
        h(
          'ul',
          {},
          ...l.columns.map((c) =>
            h(
              'li',
              {},
              t(c.label),
              c.required ? tr('（必填）', ' (required)') : '',
              c.options ? ` — ${c.options.map((o) => t(o.label)).join(' / ')}` : '',
            ),
          ),
        ),
      ),
      h(
        'p',
        {},
        h(
          'a',
          { href: `/app/crosschecks/findings?comparison=${encodeURIComponent(l.comparisons[0]?.id ?? '')}` },
          tr('查看本名单的比对问题', 'Findings of this list'),
        ),
      ),
    );
  };

  const loadDeliveries = async () => {
    const l = catalog.list(picker.value);
    if (!l) return;
    const r = await api<{ items: Delivery[] }>(
      'GET',
      `/api/crosschecks/lists/${encodeURIComponent(l.id)}/deliveries`,
    );
    // Version n of a unit's deliveries, oldest first.
    const seq = new Map<string, number>();
    const version = new Map<string, number>();
    for (const d of [...r.items].reverse()) {
      const n = (seq.get(d.orgCode) ?? 0) + 1;
      seq.set(d.orgCode, n);
      version.set(d.id, n);
    }
    const today = chinaDay();
    fill(
      deliveries,
      h('h2', { id: 'deliveries-h' }, tr('历次交付', 'Deliveries'), ` (${r.items.length})`),
      r.items.length
        ? scrollBox(
            h(
              'table',
              { class: 'list', 'aria-labelledby': 'deliveries-h' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...[
                    tr('单位', 'Unit'),
                    tr('版本', 'Version'),
                    tr('文件', 'File'),
                    tr('接收 / 拒绝', 'Accepted / refused'),
                    tr('导入', 'Imported'),
                    tr('有效期至', 'Valid until'),
                    tr('操作', 'Action'),
                  ].map((x) => h('th', { scope: 'col' }, x)),
                ),
              ),
              h(
                'tbody',
                {},
                ...r.items.map((d) => {
                  const rerun = h(
                    'button',
                    { type: 'button', class: 'rerun', 'data-delivery': d.id },
                    tr('重新比对', 'Compare again'),
                  );
                  rerun.addEventListener('click', async () => {
                    rerun.disabled = true;
                    try {
                      const out = await api<{ runs: Run[] }>(
                        'POST',
                        `/api/crosschecks/lists/${encodeURIComponent(l.id)}/deliveries/${encodeURIComponent(d.id)}/compare`,
                      );
                      fill(result, h('h2', {}, tr('比对结果', 'Comparison')), runsView(catalog, l, out.runs));
                      status(tr('已重新比对', 'Compared again'), 'ok');
                    } catch (e) {
                      status(errorWords(e), 'error');
                    } finally {
                      rerun.disabled = false;
                    }
                  });
                  const expired = d.validUntil < today;
                  return h(
                    'tr',
                    { 'data-delivery': d.id, class: expired ? 'expired' : null },
                    h('td', {}, unitText(names, d.orgCode)),
                    h('td', {}, tr(`第 ${version.get(d.id)} 版`, `v${version.get(d.id)}`)),
                    h('td', {}, d.fileName ?? '—'),
                    h('td', {}, `${d.rows} / ${d.rejected}`),
                    h('td', {}, when(d.importedAt), h('br'), h('small', {}, d.importedBy)),
                    h(
                      'td',
                      {},
                      d.validUntil,
                      expired ? h('span', { class: 'flag' }, tr('（已过期）', ' (expired)')) : '',
                    ),
                    h('td', {}, mayImport ? rerun : ''),
                  );
                }),
              ),
            ),
          )
        : h('p', { class: 'muted' }, tr('本名单还没有交付', 'No delivery of this list yet')),
    );
  };

  const form = h(
    'form',
    { id: 'delivery-form', novalidate: true },
    h('h2', {}, tr('导入一次交付', 'Import a delivery')),
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'label', for: 'delivery-org' }, tr('名单所属单位', 'Unit the list is for')),
      h('p', { class: 'help', id: 'delivery-org-help' }, tr('通常为县（市、区）', 'Usually a county')),
      orgSel,
    ),
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { class: 'label', for: 'delivery-file' },
        tr('名单文件（CSV 或 XLSX）', 'List file (CSV or XLSX)'),
      ),
      h(
        'p',
        { class: 'help', id: 'delivery-file-help' },
        tr(
          `第 1 行为表头；每次最多 ${MAX_ROWS - 1} 行，更大的文件请用命令行 nuanxin lists import`,
          `Row 1 is the header; at most ${MAX_ROWS - 1} rows at once, larger files through the CLI (nuanxin lists import)`,
        ),
      ),
      fileInput,
      fileErr,
    ),
    h('div', { class: 'actions' }, send),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const l = catalog.list(picker.value);
    const file = fileInput.files?.[0];
    fileErr.textContent = '';
    fileInput.removeAttribute('aria-invalid');
    const bad = (text: string) => {
      fileErr.textContent = text;
      fileInput.setAttribute('aria-invalid', 'true');
      fileInput.focus();
    };
    if (!l) return;
    if (!file) return bad(tr('请选择名单文件', 'Choose the list file'));
    let rows: (string | number | boolean | null)[][];
    try {
      rows = await readSheet(file);
    } catch (e) {
      return bad(
        e instanceof SheetError && e.message === 'type'
          ? tr('只能导入 .csv 或 .xlsx 文件', 'Only .csv or .xlsx files can be imported')
          : tr(
              '无法读取该文件，请另存为 CSV（UTF-8）或 XLSX 后重试',
              'The file cannot be read: save it as CSV (UTF-8) or XLSX and try again',
            ),
      );
    }
    if (rows.length < 2) return bad(tr('文件除表头外没有数据行', 'The file has no row below the header'));
    if (rows.length > MAX_ROWS)
      return bad(
        tr(
          `文件有 ${rows.length - 1} 行，超过 ${MAX_ROWS - 1} 行：请用命令行导入`,
          `The file has ${rows.length - 1} rows, more than ${MAX_ROWS - 1}: import it through the CLI`,
        ),
      );
    send.disabled = true;
    status(tr('正在导入…', 'Importing…'));
    try {
      const r = await api<{
        deliveryId: string;
        duplicate: boolean;
        rows: number;
        accepted: number;
        rejected: number;
        errors: RowError[];
        validUntil: string;
        runs: Run[];
      }>('POST', `/api/crosschecks/lists/${encodeURIComponent(l.id)}/deliveries`, {
        orgCode: orgSel.value,
        fileName: file.name.slice(0, 200),
        rows: rows.map((row) =>
          row.slice(0, MAX_CELLS).map((c) => (typeof c === 'string' ? c.slice(0, 2000) : c)),
        ),
      });
      fill(
        result,
        h('h2', {}, tr('导入结果', 'Import result')),
        h(
          'p',
          {
            id: 'import-summary',
            'data-accepted': r.accepted,
            'data-rejected': r.rejected,
            'data-duplicate': String(r.duplicate),
          },
          r.duplicate
            ? tr(
                '与此前的一次交付内容相同：未重复保存，也未重新比对。',
                'The same content was delivered before: nothing stored again, nothing compared.',
              )
            : tr(
                `共 ${r.rows} 行：接收 ${r.accepted} 行，拒绝 ${r.rejected} 行；有效期至 ${r.validUntil}。`,
                `${r.rows} rows: ${r.accepted} accepted, ${r.rejected} refused; valid until ${r.validUntil}.`,
              ),
        ),
        r.errors.length ? errorTable(l, r.errors, r.rejected) : null,
        r.runs.length ? h('h3', {}, tr('比对结果', 'Comparison')) : null,
        r.runs.length ? runsView(catalog, l, r.runs) : null,
      );
      status(
        r.rejected
          ? tr(`已导入，${r.rejected} 行被拒绝，见下表`, `Imported; ${r.rejected} rows refused, see below`)
          : tr('已导入并比对', 'Imported and compared'),
        r.rejected ? 'error' : 'ok',
      );
      fileInput.value = '';
      await loadDeliveries();
    } catch (e) {
      if (e instanceof ApiError && e.body.errors?.length) {
        fill(
          result,
          h('h2', {}, tr('文件未导入', 'The file was not imported')),
          h(
            'ul',
            { class: 'problems', id: 'import-problems' },
            ...e.body.errors.map((x) =>
              h('li', { 'data-code': x.code }, `${columnWords(l, x.path)}：${t(x.message)}`),
            ),
          ),
        );
      }
      status(errorWords(e), 'error');
    } finally {
      send.disabled = false;
    }
  });

  picker.addEventListener('change', () => {
    showAbout();
    fill(result);
    void loadDeliveries();
  });
  app.append(
    h('div', { class: 'field' }, h('label', { class: 'label', for: 'list-id' }, tr('名单', 'List')), picker),
    about,
    mayImport
      ? form
      : h(
          'p',
          { class: 'muted' },
          tr('导入名单需要审核员或管理员账号', 'Importing a list needs a reviewer or administrator account'),
        ),
    result,
    deliveries,
  );
  showAbout();
  await loadDeliveries();
}

/** Refused rows: row number, the column by its label, the message in the page's language. */
function errorTable(l: ListInfo, errors: readonly RowError[], rejected: number): HTMLElement {
  return scrollBox(
    h(
      'table',
      { class: 'list', id: 'import-errors' },
      h('caption', {}, tr(`被拒绝的行（${rejected}）`, `Refused rows (${rejected})`)),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[tr('行', 'Row'), tr('列', 'Column'), tr('问题', 'Problem')].map((x) =>
            h('th', { scope: 'col' }, x),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...errors.map((e) =>
          h(
            'tr',
            { 'data-row': e.row, 'data-code': e.code, 'data-field': e.field },
            h('td', {}, tr(`第 ${e.row} 行`, `Row ${e.row}`)),
            h('td', {}, columnWords(l, e.field)),
            h('td', {}, t(e.message)),
          ),
        ),
      ),
    ),
  );
}
