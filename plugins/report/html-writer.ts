import type { Locale } from '../../engine/entry/plugin.ts';
import { headerText, type ReportTable } from './table.ts';
import { formatCell, type TemplateStore } from './templates-store.ts';

interface HeaderCell {
  text: string;
  colspan: number;
  rowspan: number;
}

/** Header rows of a table as HTML wants them: group cells spanning columns, lone headers spanning both rows. */
export function headerRows(table: ReportTable, locale: Locale): HeaderCell[][] {
  if (table.groups.length === 0) {
    return [table.columns.map((c) => ({ text: headerText(c, locale), colspan: 1, rowspan: 1 }))];
  }
  const top: HeaderCell[] = [];
  const second: HeaderCell[] = [];
  for (let i = 0; i < table.columns.length; i++) {
    const g = table.groups.find((x) => x.start === i);
    const c = table.columns[i];
    if (!c) continue;
    if (g) {
      top.push({ text: g.label[locale], colspan: g.span, rowspan: 1 });
      for (let k = 0; k < g.span; k++) {
        const cc = table.columns[i + k];
        if (cc) second.push({ text: headerText(cc, locale), colspan: 1, rowspan: 1 });
      }
      i += g.span - 1;
    } else {
      top.push({ text: headerText(c, locale), colspan: 1, rowspan: 2 });
    }
  }
  return [top, second];
}

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
    rows,
    columnCount: table.columns.length,
  });
}
