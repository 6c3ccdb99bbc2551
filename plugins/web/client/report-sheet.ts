import { h } from './dom.ts';
import { t, tr } from './i18n.ts';
import { grid, type Sheet, td, th } from './sheet.ts';

export interface HeaderCell {
  text: string;
  colspan: number;
  rowspan: number;
}

export interface TableReportJson {
  title: unknown;
  notes: unknown[];
  columns: { id: string; header: string; format: string }[];
  headerRows?: HeaderCell[][];
  footnotes?: unknown[];
  rows: { kind: string; cells: Record<string, string | number | null> }[];
}

const NUMERIC = new Set(['integer', 'number', 'money']);

function cellText(v: string | number | null | undefined, format: string): string {
  if (v === null || v === undefined) return '';
  if (format === 'money' && typeof v === 'number') return v.toFixed(2);
  return String(v);
}

/**
 * A table report as its paper: the title, the lines under it (unit, round, as-of date), the
 * header in the rows the report gives (附件1: titles, sub-titles, units), the rows, and the notes
 * under the table (注明 / 说明). Wide tables print on A4 landscape.
 */
export function tableSheet(r: TableReportJson): HTMLElement {
  const head = r.headerRows ?? [r.columns.map((c) => ({ text: c.header, colspan: 1, rowspan: 1 }))];
  const table = h(
    'table',
    { class: 'report-grid', id: 'print-table' },
    h(
      'thead',
      {},
      ...head.map((cells) =>
        h(
          'tr',
          {},
          ...cells.map((c) =>
            h(
              'th',
              {
                scope: c.colspan > 1 ? 'colgroup' : 'col',
                colspan: c.colspan > 1 ? c.colspan : null,
                rowspan: c.rowspan > 1 ? c.rowspan : null,
              },
              c.text,
            ),
          ),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...r.rows.map((row) =>
        h(
          'tr',
          { class: row.kind },
          ...r.columns.map((c) =>
            h('td', { class: NUMERIC.has(c.format) ? 'num' : null }, cellText(row.cells[c.id], c.format)),
          ),
        ),
      ),
    ),
  );
  return h(
    'article',
    { class: `sheet ${r.columns.length > 8 ? 'landscape' : 'portrait'}`, id: 'sheet' },
    h('h2', { class: 'sheet-title' }, t(r.title)),
    ...r.notes.map((n) => h('p', { class: 'sheet-note' }, t(n))),
    table,
    ...(r.footnotes ?? []).map((n) => h('p', { class: 'footnote' }, t(n))),
  );
}

/** Any form without a paper grid of its own: each section a band of label/value pairs, tables below. */
export function formSheet(s: Sheet): HTMLElement[] {
  const bodies: HTMLElement[] = [];
  for (const sec of s.sections) {
    const rows: HTMLElement[] = [h('tr', {}, th(t(sec.title), 12, 1, 'band'))];
    const fields: string[] = [];
    const walk = (list: typeof sec.fields) => {
      for (const f of list) {
        if (f.type === 'group') walk(f.fields ?? []);
        else if (f.type === 'table') {
          const tbl = s.tableRows(f.id, {}, 3);
          rows.push(h('tr', {}, th(t(f.label), 12, 1, 'band sub')));
          const toWidth = (cells: HTMLTableCellElement[]) => {
            // Stretch the last cell to the grid's width (a table of fewer columns than twelve).
            const last = cells[cells.length - 1];
            if (last && tbl.width < 12) last.colSpan = last.colSpan + 12 - tbl.width;
            return h('tr', {}, ...cells);
          };
          rows.push(toWidth(tbl.head), ...tbl.rows.map(toWidth));
          if (s.blank && tbl.legend)
            rows.push(h('tr', {}, td([h('span', { class: 'legend' }, tbl.legend)], 12)));
        } else if (s.printable(f)) fields.push(f.id);
      }
    };
    walk(sec.fields);
    rows.splice(1, 0, ...s.looseRows(fields.map((id) => s.field(id)).filter((f) => f !== undefined)));
    bodies.push(h('tbody', { class: 'block' }, ...rows));
  }
  return [grid(12, 'survey', ...bodies)];
}

/** A notice to a family (幸福清单 / 明白纸): who, what it receives, where to ask. */
export function noticeSheet(c: Record<string, unknown>): HTMLElement {
  const family = (c.family ?? {}) as { name?: string; idNumber?: string };
  const org = (c.org ?? {}) as Record<string, string>;
  const lines = (c.assistance ?? []) as { item: string; amount: string }[];
  const hotline = ((c.contact ?? {}) as { hotline?: string }).hotline;
  return h(
    'article',
    { class: 'sheet portrait notice', id: 'sheet' },
    h('h2', { class: 'sheet-title' }, t(c.title)),
    c.blank
      ? h(
          'p',
          {},
          tr('户主：＿＿＿＿＿＿　　村（社区）：＿＿＿＿＿＿', 'Head of household: ______  Village: ______'),
        )
      : h(
          'p',
          {},
          tr(
            `${family.name ?? ''} 户（身份证号 ${family.idNumber ?? ''}），${org.township ?? ''} ${org.village ?? ''}：截至 ${String(c.asOf ?? '')}，您家正在享受的救助如下：`,
            `${family.name ?? ''} (ID ${family.idNumber ?? ''}), ${org.village ?? ''}: as of ${String(c.asOf ?? '')} your family receives:`,
          ),
        ),
    h(
      'table',
      { class: 'report-grid' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, tr('救助项目', 'Assistance')),
          h('th', { scope: 'col' }, tr('金额', 'Amount')),
        ),
      ),
      h('tbody', {}, ...lines.map((l) => h('tr', {}, h('td', {}, l.item), h('td', {}, l.amount)))),
    ),
    h(
      'p',
      {},
      tr(
        `救助资金通过社会保障卡“一卡通”发放。如有疑问，请联系当地民政部门（${org.name ?? ''}）。`,
        `Assistance is paid to the social security card. Questions: the civil-affairs office (${org.name ?? ''}).`,
      ),
    ),
    hotline ? h('p', {}, tr(`咨询和投诉举报电话：${hotline}`, `Enquiries and complaints: ${hotline}`)) : null,
  );
}
