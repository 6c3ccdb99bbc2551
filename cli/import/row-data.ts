import * as crypto from 'node:crypto';
import type { Cell } from './csv-records.ts';

/** Types whose cells are text even when a spreadsheet stored them as numbers (IDs, phones, codes). */
const TEXTUAL = new Set(['text', 'textarea', 'select', 'phone', 'idcard', 'orgunit', 'date']);
/** Tick boxes in a cell: `a,b`, `a;b`, `a|b` or the Chinese 、 and ，separators. */
const TICK_SEPARATORS = /[,;|、，；]/;

/** One-shot SHA-256 (`crypto.hash`, Node 20.12+), else through a Hash object: the same digest. */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(a: string, d: string): string }).hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * Reads the rows of one file against its header: which field each column fills and how, worked
 * out once for the header rather than for every row.
 */
export class RowReader {
  private readonly keys: string[];
  private readonly types: (string | undefined)[];
  /** `JSON.stringify([formId, orgCode, header, cells])` up to the cells. */
  private readonly idPrefix: string;

  constructor(formId: string, orgCode: string, header: string[], types: ReadonlyMap<string, string>) {
    this.keys = header;
    this.types = header.map((h) => types.get(h));
    this.idPrefix = `${JSON.stringify([formId, orgCode, header]).slice(0, -1)},`;
  }

  /**
   * A row of cells as submission data: blank cells and unknown columns are left out (so defaults
   * and "required" apply), tables (and tick boxes written as `[…]`) are JSON, other tick boxes a
   * separated list; everything else goes to the runtime as read, which coerces text to the
   * field's type and reports what it cannot.
   */
  data(cells: readonly Cell[]): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    const { keys, types } = this;
    for (let i = 0; i < keys.length; i++) {
      const type = types[i];
      let v = cells[i];
      if (type === undefined || v === undefined || v === null || v === '') continue;
      const key = keys[i] as string;
      if (typeof v === 'number' && TEXTUAL.has(type)) v = String(v);
      if (typeof v === 'string' && (type === 'table' || (type === 'multiselect' && v.startsWith('[')))) {
        try {
          data[key] = JSON.parse(v);
          continue;
        } catch {
          // Not JSON: the runtime reports the cell as the wrong kind of value.
        }
      }
      if (typeof v === 'string' && type === 'multiselect') {
        data[key] = v
          .split(TICK_SEPARATORS)
          .map((x) => x.trim())
          .filter((x) => x !== '');
        continue;
      }
      data[key] = v;
    }
    return data;
  }

  /**
   * The id a row's submission gets: derived from the form, the unit, the header and the row's
   * cells, so a re-run of the same file finds the rows it stored before and skips them instead
   * of doubling them (the same digest as every earlier version of the import).
   */
  id(cells: readonly Cell[]): string {
    const h = sha256Hex(`${this.idPrefix}${JSON.stringify(cells)}]`);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
