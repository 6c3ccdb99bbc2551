/**
 * The fixed parts of a one-sheet SpreadsheetML package: content types, relationships, the
 * workbook and the style sheet. Only the sheet itself grows with the data (see `sheet-xml.ts`).
 */
import type { CellFormat } from '../table.ts';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Number format codes per column format (undefined: General). */
export const NUM_FMT: Readonly<Record<CellFormat, string | undefined>> = {
  text: undefined,
  date: undefined,
  integer: '#,##0',
  number: '#,##0.00',
  money: '#,##0.00',
};

/**
 * Indices into `cellXfs` of `stylesXml()`. Data cells: `DATA + 2 * formatSlot + (bold ? 1 : 0)`,
 * so a row's style is an addition, not a lookup per cell.
 */
export const STYLE = { title: 1, note: 2, header: 3, data: 4 } as const;

/** 0: General, 1: '#,##0', 2: '#,##0.00' (the two custom formats of `stylesXml`). */
export function formatSlot(format: CellFormat): 0 | 1 | 2 {
  const f = NUM_FMT[format];
  return f === undefined ? 0 : f === '#,##0' ? 1 : 2;
}

export function dataStyle(format: CellFormat, bold: boolean): number {
  return STYLE.data + 2 * formatSlot(format) + (bold ? 1 : 0);
}

// XML 1.0 forbids most C0 controls even as character references; a report cell holding one
// would make Excel refuse the whole file, so they are dropped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"]/g, (ch) => ESCAPES[ch] ?? ch);
}

export function contentTypesXml(): string {
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '</Types>'
  );
}

export function rootRelsXml(): string {
  return (
    `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
    '</Relationships>'
  );
}

/** Excel refuses sheet names with these characters or longer than 31. */
export function safeSheetName(name: string): string {
  const s = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
  return s || 'Sheet1';
}

export function workbookXml(sheetName: string): string {
  return (
    `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<bookViews><workbookView/></bookViews>' +
    `<sheets><sheet name="${xmlEscape(safeSheetName(sheetName))}" sheetId="1" r:id="rId1"/></sheets>` +
    '</workbook>'
  );
}

export function workbookRelsXml(): string {
  return (
    `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
    `<Relationship Id="rId2" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    '</Relationships>'
  );
}

const BORDER =
  '<left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/>';

/**
 * Fonts 0 regular, 1 bold, 2 bold 16pt; border 1 thin on all sides; custom number formats
 * 164 '#,##0' and 165 '#,##0.00'. The cell styles follow `STYLE` and `dataStyle`.
 */
export function stylesXml(): string {
  const xf = (numFmt: number, font: number, border: number, extra = '') =>
    `<xf numFmtId="${numFmt}" fontId="${font}" fillId="0" borderId="${border}" xfId="0"` +
    `${numFmt ? ' applyNumberFormat="1"' : ''}${font ? ' applyFont="1"' : ''}${border ? ' applyBorder="1"' : ''}` +
    (extra ? ` applyAlignment="1">${extra}</xf>` : '/>');
  const cellXfs = [
    xf(0, 0, 0),
    xf(0, 2, 0, '<alignment horizontal="center"/>'),
    xf(0, 0, 0),
    xf(0, 1, 1, '<alignment horizontal="center" vertical="center" wrapText="1"/>'),
    xf(0, 0, 1),
    xf(0, 1, 1),
    xf(164, 0, 1),
    xf(164, 1, 1),
    xf(165, 0, 1),
    xf(165, 1, 1),
  ];
  return (
    `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">` +
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0"/><numFmt numFmtId="165" formatCode="#,##0.00"/></numFmts>' +
    '<fonts count="3">' +
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font>' +
    '</fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    `<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>${BORDER}</border></borders>` +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${cellXfs.length}">${cellXfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  );
}
