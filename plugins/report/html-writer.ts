import type { Locale } from '../../engine/entry/plugin.ts';
import { headerRows } from './header-rows.ts';
import type { ReportTable } from './table.ts';
import { formatCell, type TemplateStore } from './templates-store.ts';

/** Renders a table report through its template (default `table`), the nearest org override winning. */
export async function renderTableHtml(
  table: ReportTable,
  templates: TemplateStore,
  opts: { orgPath: string; template?: string | undefined; locale?: Locale },
): Promise<string> {
  const locale = opts.locale ?? 'zh-CN';
  const rows: { kind: string; cells: { text: string; numeric: boolean }[] }[] = [];
  for await (const r of table.rows) {
    rows.push({
      kind: r.kind,
      cells: table.columns.map((c) => ({
        text: formatCell(r.cells[c.id], c.format),
        numeric: c.format !== 'text' && c.format !== 'date',
      })),
    });
  }
  return templates.render(opts.template ?? 'table', opts.orgPath, {
    lang: locale,
    title: table.title[locale],
    notes: table.notes.map((n) => n[locale]),
    headerRows: headerRows(table, locale),
    footnotes: (table.footnotes ?? []).map((n) => n[locale]),
    rows,
    columnCount: table.columns.length,
  });
}
