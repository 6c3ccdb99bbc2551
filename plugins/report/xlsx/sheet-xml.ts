/**
 * `xl/worksheets/sheet1.xml` in three pieces: the head (sheet view, columns and the title,
 * notes and header rows), one `<row>` per report row, and the tail (merges and page setup).
 * Every merge is in the header, so the tail is known before the first data row is written.
 */
import type { Locale } from '../../../engine/entry/plugin.ts';
import { type Cell, headerText, type ReportColumn, type ReportRow, type ReportTable } from '../table.ts';
import { dataStyle, STYLE, xmlEscape } from './parts.ts';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** 'A', 'B', … 'Z', 'AA', … for a 0-based column index. */
export function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function stringCell(ref: string, style: number, value: string): string {
  // Leading or trailing blanks survive only with xml:space="preserve".
  const space = /^\s|\s$/.test(value) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${xmlEscape(value)}</t></is></c>`;
}

function cellXml(ref: string, style: number, value: Cell | undefined): string {
  if (typeof value === 'number')
    return Number.isFinite(value)
      ? `<c r="${ref}" s="${style}"><v>${value}</v></c>`
      : `<c r="${ref}" s="${style}"/>`;
  if (value === null || value === undefined || value === '') return `<c r="${ref}" s="${style}"/>`;
  return stringCell(ref, style, value);
}

/** Where the parts of the sheet sit: rows are 1-based as in Excel. */
export interface SheetLayout {
  readonly width: number;
  readonly headerTop: number;
  readonly headerBottom: number;
  /** Merged ranges, e.g. 'A1:K1'. */
  readonly merges: readonly string[];
  /** Column letters, computed once for every row. */
  readonly letters: readonly string[];
}

export function sheetLayout(table: ReportTable): SheetLayout {
  const width = Math.max(1, table.columns.length);
  const letters = Array.from({ length: width }, (_, i) => columnName(i));
  const last = letters[width - 1] as string;
  const twoLevel = table.groups.length > 0;
  const headerTop = 2 + table.notes.length;
  const headerBottom = headerTop + (twoLevel ? 1 : 0);
  const merges: string[] = [];
  if (width > 1) for (let r = 1; r < headerTop; r++) merges.push(`A${r}:${last}${r}`);
  const inGroup = new Set<number>();
  for (const g of table.groups) {
    for (let k = 0; k < g.span; k++) inGroup.add(g.start + k);
    if (g.span > 1)
      merges.push(`${letters[g.start]}${headerTop}:${letters[g.start + g.span - 1]}${headerTop}`);
  }
  if (twoLevel)
    for (let i = 0; i < table.columns.length; i++)
      if (!inGroup.has(i)) merges.push(`${letters[i]}${headerTop}:${letters[i]}${headerBottom}`);
  return { width, headerTop, headerBottom, merges, letters };
}

/** Everything before the first data row: frozen header, page fit, column widths, header rows. */
export function sheetHead(table: ReportTable, layout: SheetLayout, locale: Locale): string {
  const { headerTop, headerBottom, letters } = layout;
  const first = headerBottom + 1;
  const cols = table.columns
    .map(
      (c, i) =>
        `<col min="${i + 1}" max="${i + 1}" width="${c.format === 'text' ? 18 : 14}" customWidth="1"/>`,
    )
    .join('');
  const notes = table.notes
    .map((n, i) => `<row r="${2 + i}">${stringCell(`A${2 + i}`, STYLE.note, n[locale])}</row>`)
    .join('');
  const twoLevel = headerBottom > headerTop;
  const top: string[] = [];
  const bottom: string[] = [];
  const groupAt = new Map(table.groups.map((g) => [g.start, g]));
  const inGroup = new Set<number>();
  for (const g of table.groups) for (let k = 0; k < g.span; k++) inGroup.add(g.start + k);
  table.columns.forEach((c, i) => {
    const label = headerText(c, locale);
    const group = groupAt.get(i);
    const topText = group ? group.label[locale] : twoLevel && inGroup.has(i) ? '' : label;
    top.push(cellXml(`${letters[i]}${headerTop}`, STYLE.header, topText));
    if (twoLevel)
      bottom.push(cellXml(`${letters[i]}${headerBottom}`, STYLE.header, inGroup.has(i) ? label : ''));
  });
  return (
    `${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' +
    '<sheetViews><sheetView workbookViewId="0">' +
    `<pane ySplit="${headerBottom}" topLeftCell="A${first}" activePane="bottomLeft" state="frozen"/>` +
    `<selection pane="bottomLeft" activeCell="A${first}" sqref="A${first}"/>` +
    '</sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (cols ? `<cols>${cols}</cols>` : '') +
    '<sheetData>' +
    `<row r="1">${stringCell('A1', STYLE.title, table.title[locale])}</row>` +
    notes +
    `<row r="${headerTop}">${top.join('')}</row>` +
    (twoLevel ? `<row r="${headerBottom}">${bottom.join('')}</row>` : '')
  );
}

/** One report row at sheet row `r`; subtotal and total rows are bold. */
export function rowXml(
  columns: readonly ReportColumn[],
  layout: SheetLayout,
  r: number,
  row: ReportRow,
): string {
  const bold = row.kind !== 'data';
  let s = `<row r="${r}">`;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as ReportColumn;
    s += cellXml(`${layout.letters[i]}${r}`, dataStyle(c.format, bold), row.cells[c.id]);
  }
  return `${s}</row>`;
}

/** Closes the rows, then merges, margins and an A4 landscape page fitted to one page wide. */
export function sheetTail(layout: SheetLayout): string {
  const merges = layout.merges.length
    ? `<mergeCells count="${layout.merges.length}">${layout.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`
    : '';
  return (
    `</sheetData>${merges}` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' +
    '</worksheet>'
  );
}
