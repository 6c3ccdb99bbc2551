/**
 * A CSV or XLSX file read in the browser into rows of cells, header first, the way
 * `POST /api/crosschecks/lists/:list/deliveries` takes them. Row positions follow the file
 * (an empty row stays an empty row), so the server's "row n" is the row a person sees in the
 * spreadsheet. CSV: UTF-8 (with or without BOM), else GB 18030 as Excel in China saves it.
 * XLSX: the first worksheet, unzipped with the browser's DecompressionStream; shared and inline
 * strings, numbers, booleans, and date cells (by their number format) as YYYY-MM-DD.
 */

export type Cell = string | number | boolean | null;

export class SheetError extends Error {}

/** Text of a CSV file: UTF-8 when it decodes as such, else GB 18030. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180: quoted fields, doubled quotes, CR LF / LF / CR, line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (s[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row.length === 1 && row[0] === '' ? [] : row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  while (rows.length > 0 && rows.at(-1)?.length === 0) rows.pop();
  return rows;
}

// ---- XLSX: a zip of XML parts ----

interface ZipEntry {
  method: number;
  size: number;
  offset: number;
}

function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new SheetError('not a zip');
  const count = v.getUint16(end + 10, true);
  let p = v.getUint32(end + 16, true);
  const out = new Map<string, ZipEntry>();
  const utf8 = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (v.getUint32(p, true) !== 0x02014b50) throw new SheetError('bad zip directory');
    const nameLen = v.getUint16(p + 28, true);
    const name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    out.set(name, {
      method: v.getUint16(p + 10, true),
      size: v.getUint32(p + 20, true),
      offset: v.getUint32(p + 42, true),
    });
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return out;
}

async function zipText(
  bytes: Uint8Array,
  entries: Map<string, ZipEntry>,
  name: string,
): Promise<string | null> {
  const e = entries.get(name);
  if (!e) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = e.offset + 30 + v.getUint16(e.offset + 26, true) + v.getUint16(e.offset + 28, true);
  const data = bytes.slice(start, start + e.size);
  if (e.method === 0) return new TextDecoder().decode(data);
  if (e.method !== 8) throw new SheetError(`zip method ${e.method}`);
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

const xml = (text: string) => new DOMParser().parseFromString(text, 'application/xml');

/** Elements by local name, whatever prefix the writer used. */
const byName = (n: Document | Element, name: string): Element[] =>
  Array.from(n.getElementsByTagNameNS('*', name));

/** Text of a string item (`<si>` / `<is>`), phonetic runs left out. */
const itemText = (si: Element): string =>
  byName(si, 't')
    .filter((t) => t.parentElement?.localName !== 'rPh')
    .map((t) => t.textContent ?? '')
    .join('');

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 57, 58]);

/** Which cell styles (`s`) show a date. */
function dateStyles(styles: Document | null): Set<number> {
  const out = new Set<number>();
  if (!styles) return out;
  const custom = new Map<number, string>();
  for (const f of byName(styles, 'numFmt'))
    custom.set(Number(f.getAttribute('numFmtId')), f.getAttribute('formatCode') ?? '');
  const xfs = byName(styles, 'cellXfs')[0];
  if (!xfs) return out;
  Array.from(xfs.children).forEach((xf, i) => {
    const id = Number(xf.getAttribute('numFmtId') ?? 0);
    const code = (custom.get(id) ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    if (BUILTIN_DATE_FORMATS.has(id) || /[ymd]/i.test(code)) out.add(i);
  });
  return out;
}

/** Excel's day number (1900 system) as YYYY-MM-DD. */
const excelDay = (n: number): string =>
  new Date(Math.round((n - 25569) * 86_400_000)).toISOString().slice(0, 10);

const columnIndex = (ref: string): number => {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
};

export async function parseXlsx(bytes: Uint8Array): Promise<Cell[][]> {
  const entries = zipEntries(bytes);
  const read = (name: string) => zipText(bytes, entries, name);
  let sheetPath = 'xl/worksheets/sheet1.xml';
  const [book, rels] = await Promise.all([read('xl/workbook.xml'), read('xl/_rels/workbook.xml.rels')]);
  const first = book ? byName(xml(book), 'sheet')[0] : undefined;
  const rid = first?.getAttributeNS(
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
    'id',
  );
  const target =
    rid && rels ? byName(xml(rels), 'Relationship').find((r) => r.getAttribute('Id') === rid) : undefined;
  const t = target?.getAttribute('Target');
  if (t) sheetPath = t.startsWith('/') ? t.slice(1) : `xl/${t}`;
  const [sheetText, sharedText, stylesText] = await Promise.all([
    read(sheetPath),
    read('xl/sharedStrings.xml'),
    read('xl/styles.xml'),
  ]);
  if (sheetText === null) throw new SheetError('no worksheet');
  const shared = sharedText ? byName(xml(sharedText), 'si').map(itemText) : [];
  const dates = dateStyles(stylesText ? xml(stylesText) : null);
  const rows: Cell[][] = [];
  for (const r of byName(xml(sheetText), 'row')) {
    const at = Number(r.getAttribute('r') ?? rows.length + 1) - 1;
    while (rows.length < at) rows.push([]);
    const cells: Cell[] = [];
    for (const c of byName(r, 'c')) {
      const ref = c.getAttribute('r');
      const i = ref ? columnIndex(ref) : cells.length;
      while (cells.length < i) cells.push(null);
      const type = c.getAttribute('t');
      const raw = byName(c, 'v')[0]?.textContent ?? null;
      let value: Cell = null;
      if (type === 'inlineStr') value = itemText(byName(c, 'is')[0] ?? c);
      else if (raw === null) value = null;
      else if (type === 's') value = shared[Number(raw)] ?? '';
      else if (type === 'b') value = raw === '1';
      else if (type === 'str' || type === 'e') value = raw;
      else {
        const n = Number(raw);
        value = dates.has(Number(c.getAttribute('s') ?? -1)) ? excelDay(n) : n;
      }
      cells[i] = value;
    }
    rows.push(cells);
  }
  while (rows.length > 0 && rows[0]?.length === 0) rows.shift();
  return rows;
}

/** The file's rows, header first, by its name's extension (`.csv` or `.xlsx`). */
export async function readSheet(file: File): Promise<Cell[][]> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (/\.xlsx$/i.test(file.name)) return parseXlsx(bytes);
  if (/\.csv$/i.test(file.name) || /\.txt$/i.test(file.name)) return parseCsv(decodeText(bytes));
  throw new SheetError('type');
}
