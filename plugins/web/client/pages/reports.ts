import { ApiError, api, session } from '../api.ts';
import { barChart } from '../bar-chart.ts';
import { fill, h, scrollBox } from '../dom.ts';
import { download } from '../download.ts';
import { lang, t, tr } from '../i18n.ts';
import { status } from '../status.ts';

interface ReportInfo {
  id: string;
  kind: string;
  title: unknown;
  formats: string[];
}
interface ReportJson {
  title: unknown;
  notes: unknown[];
  columns: { id: string; header: string; format: string; total: boolean }[];
  rows: { kind: string; cells: Record<string, string | number | null> }[];
}

/** Reports: pick report, period and unit; the table, a bar chart per unit, downloads. */
export async function reportsPage(app: HTMLElement): Promise<void> {
  let list: ReportInfo[];
  try {
    list = (await api<{ reports: ReportInfo[] }>('GET', '/api/reports')).reports.filter(
      (r) => r.kind !== 'document',
    );
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      app.append(h('p', {}, tr('本服务器未启用报表', 'Reports are not enabled on this server')));
      return;
    }
    throw e;
  }
  const pick = h('select', { id: 'report' }, ...list.map((r) => h('option', { value: r.id }, t(r.title))));
  const period = h('input', {
    id: 'period',
    placeholder: 'YYYY-MM',
    inputmode: 'numeric',
    value: new Date().toISOString().slice(0, 7),
  });
  const org = h('input', { id: 'org', inputmode: 'numeric', value: session()?.user.orgUnit ?? '' });
  const show = h('button', { type: 'button', id: 'show-report', class: 'primary' }, tr('查看', 'Show'));
  const out = h('div', { id: 'report-out' });
  const query = (format: string) => {
    const q = new URLSearchParams({ format, lang: lang() });
    if (period.value.trim()) q.set('period', period.value.trim());
    if (org.value.trim()) q.set('org', org.value.trim());
    return `/api/reports/${encodeURIComponent(pick.value)}?${q}`;
  };
  show.addEventListener('click', async () => {
    fill(out);
    try {
      const r = await api<ReportJson>('GET', query('json'));
      const cols = r.columns;
      const table = h(
        'table',
        { class: 'list', id: 'report-table' },
        h('caption', {}, t(r.title), ...r.notes.map((n) => h('small', {}, ' · ', t(n)))),
        h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c.header)))),
        h(
          'tbody',
          {},
          ...r.rows.map((row) =>
            h('tr', { class: row.kind }, ...cols.map((c) => h('td', {}, row.cells[c.id] ?? ''))),
          ),
        ),
      );
      // The chart: the first summed column, one bar per data row, labelled by the first text column.
      const measure = cols.find((c) => c.total && c.format !== 'text');
      const labelCol = cols.find((c) => c.format === 'text');
      const bars = measure
        ? r.rows
            .filter((row) => row.kind === 'data')
            .map((row) => ({
              label: String(labelCol ? (row.cells[labelCol.id] ?? '') : ''),
              value: Number(row.cells[measure.id] ?? 0),
            }))
        : [];
      const files = h('div', { class: 'actions' });
      for (const [format, label] of [
        ['csv', 'CSV'],
        ['xlsx', 'Excel (XLSX)'],
        ['html', tr('打印版（HTML）', 'Printable (HTML)')],
      ] as const) {
        const b = h(
          'button',
          { type: 'button', 'data-format': format },
          `${tr('下载', 'Download')} ${label}`,
        );
        b.addEventListener(
          'click',
          () =>
            void download(query(format), `${pick.value}.${format}`).catch((e) => status(String(e), 'error')),
        );
        files.append(b);
      }
      // The paper as it is printed: the print page draws it with the same period and unit.
      const printQuery = new URLSearchParams();
      if (period.value.trim()) printQuery.set('period', period.value.trim());
      if (org.value.trim()) printQuery.set('org', org.value.trim());
      files.append(
        h(
          'a',
          {
            class: 'button',
            id: 'print-report',
            href: `/app/print/${encodeURIComponent(pick.value)}?${printQuery}`,
          },
          tr('打印', 'Print'),
        ),
      );
      fill(
        out,
        files,
        measure
          ? h(
              'figure',
              {},
              barChart(bars, `${t(r.title)} · ${measure.header}`),
              h('figcaption', {}, measure.header),
            )
          : null,
        scrollBox(table),
      );
    } catch (e) {
      status(e instanceof ApiError ? t(e.body.message ?? e.code) : String(e), 'error');
    }
  });
  app.append(
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'report' }, tr('报表', 'Report'), ' ', pick),
      h('label', { for: 'period' }, tr('期间', 'Period'), ' ', period),
      h('label', { for: 'org' }, tr('单位代码', 'Unit code'), ' ', org),
      show,
    ),
    out,
  );
}
