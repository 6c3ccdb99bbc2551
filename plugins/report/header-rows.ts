import type { Locale } from '../../engine/entry/plugin.ts';
import { type ColumnGroup, headerText, type ReportColumn, type ReportTable } from './table.ts';

export interface HeaderCell {
  text: string;
  colspan: number;
  rowspan: number;
}

const cell = (text: string, colspan = 1, rowspan = 1): HeaderCell => ({ text, colspan, rowspan });

/**
 * The header rows of a table as paper shows them (HTML and the JSON the print page reads):
 * - no groups: one row, each header with its unit;
 * - groups: a group's label over its columns, a lone header spanning both rows;
 * - a `top` group among them (附件1): three rows — titles, sub-titles, units. A top group's label
 *   is the title of its columns, each column's label the sub-title and its unit below; any other
 *   group's label spans the title and sub-title rows with its columns' labels below (人次数,
 *   支出资金（元）); a lone column's label spans down to its unit, or all three rows without one.
 */
export function headerRows(table: Pick<ReportTable, 'columns' | 'groups'>, locale: Locale): HeaderCell[][] {
  const { columns, groups } = table;
  if (groups.length === 0) return [columns.map((c) => cell(headerText(c, locale)))];
  if (groups.some((g) => g.top)) return threeRows(columns, groups, locale);
  const top: HeaderCell[] = [];
  const second: HeaderCell[] = [];
  for (let i = 0; i < columns.length; i++) {
    const g = groups.find((x) => x.start === i);
    const c = columns[i];
    if (!c) continue;
    if (g) {
      top.push(cell(g.label[locale], g.span));
      for (const cc of columns.slice(i, i + g.span)) second.push(cell(headerText(cc, locale)));
      i += g.span - 1;
    } else top.push(cell(headerText(c, locale), 1, 2));
  }
  return [top, second];
}

function threeRows(
  columns: readonly ReportColumn[],
  groups: readonly ColumnGroup[],
  locale: Locale,
): HeaderCell[][] {
  const titles: HeaderCell[] = [];
  const subtitles: HeaderCell[] = [];
  const units: HeaderCell[] = [];
  /** A column's label with its unit beneath it (one row lower), or spanning `rows` without one. */
  const labelAndUnit = (c: ReportColumn, row: HeaderCell[], rows: number) => {
    if (c.unit) {
      row.push(cell(c.label[locale], 1, rows - 1));
      units.push(cell(c.unit));
    } else row.push(cell(c.label[locale], 1, rows));
  };
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (!c) continue;
    const g = groups.find((x) => x.start === i);
    if (!g) {
      labelAndUnit(c, titles, 3);
      continue;
    }
    const inside = columns.slice(i, i + g.span);
    if (g.top) {
      titles.push(cell(g.label[locale], g.span));
      for (const cc of inside) labelAndUnit(cc, subtitles, 2);
    } else {
      titles.push(cell(g.label[locale], g.span, 2));
      for (const cc of inside) units.push(cell(headerText(cc, locale)));
    }
    i += g.span - 1;
  }
  return [titles, subtitles, units];
}
