import { session } from './api.ts';
import { type Child, h } from './dom.ts';
import { t, tr } from './i18n.ts';
import {
  attachmentRefs,
  isImage,
  type PrintOption,
  type PrintRef,
  plainValue,
  ticks,
  tickText,
  YES_NO,
} from './print-marks.ts';

/**
 * The pieces every printed sheet is made of: a grid of label cells (`th`) and value cells (`td`)
 * spanning columns, values as paper shows them (every option with ☑/□, yes/no as two boxes,
 * signatures and photos as pictures). Styles are classes of the page stylesheet (`.sheet` in
 * `app.css`, with its `@media print` rules): nothing inline, the pages' policy forbids it.
 */

export interface SheetField {
  readonly id: string;
  readonly type: string;
  readonly label: unknown;
  readonly unit?: string;
  readonly options?: readonly PrintOption[];
  readonly fields?: readonly SheetField[];
  readonly columns?: readonly SheetField[];
  readonly readOnly?: boolean;
  readonly calculate?: unknown;
}

export interface SheetSection {
  readonly id: string;
  readonly title: unknown;
  readonly fields: readonly SheetField[];
}

const CHOICE = new Set(['select', 'multiselect', 'radio', 'checkboxes']);
const FILES = new Set(['photo', 'file', 'signature']);
const NUMBERS = new Set(['integer', 'number', 'money']);

/** A sheet being drawn: the form's fields by id, the data (null: a blank form), what is placed. */
export class Sheet {
  readonly fields = new Map<string, SheetField>();
  readonly placed = new Set<string>();
  /** Pictures still loading (the page waits for them before it says it is ready). */
  readonly loading: Promise<void>[] = [];

  constructor(
    readonly sections: readonly SheetSection[],
    readonly data: Readonly<Record<string, unknown>> | null,
  ) {
    const walk = (list: readonly SheetField[]) => {
      for (const f of list) {
        if (f.type === 'group') walk(f.fields ?? []);
        else this.fields.set(f.id, f);
      }
    };
    for (const s of sections) walk(s.fields);
  }

  get blank(): boolean {
    return this.data === null;
  }

  field(id: string): SheetField | undefined {
    return this.fields.get(id);
  }

  /** Fields a person fills in (a stored system value such as the register version is not printed). */
  printable(f: SheetField): boolean {
    return !(f.readOnly && f.calculate === undefined);
  }

  /** The label cell of a field (empty when the form has no such field). */
  label(id: string, span = 1, rows = 1): HTMLTableCellElement {
    const f = this.field(id);
    return th(f ? t(f.label) : '', span, rows);
  }

  /** The value cell of a field, marked as placed. */
  value(id: string, span = 1, rows = 1, cls?: string): HTMLTableCellElement {
    const f = this.field(id);
    this.placed.add(id);
    return td(f ? this.show(f, this.data?.[id]) : [], span, rows, cls);
  }

  /** A field as its label and its value side by side. */
  pair(id: string, labelSpan: number, valueSpan: number): HTMLTableCellElement[] {
    return [this.label(id, labelSpan), this.value(id, valueSpan)];
  }

  /** What a value prints as: tick boxes, pictures, or text with its unit. */
  show(f: SheetField, v: unknown, inTable = false): Child[] {
    if (f.type === 'boolean') return tickNodes(ticks(YES_NO, v, t));
    if (CHOICE.has(f.type) && f.options) {
      // In a table row the chosen option's words (the options are listed under the table).
      if (inTable) return [labelOf(f, v)];
      return tickNodes(ticks(f.options, v, t));
    }
    if (FILES.has(f.type)) return this.pictures(attachmentRefs(v));
    const text = plainValue(v, f.unit, t(f.label));
    if (f.type === 'idcard') return [h('span', { class: 'idno' }, text)];
    return [NUMBERS.has(f.type) && text ? h('span', { class: 'num' }, text) : text];
  }

  /** Pictures of the attachments, fetched with the session's token and shown as data: URLs. */
  pictures(refs: readonly PrintRef[]): Child[] {
    return refs.map((r) => {
      if (r.masked || !r.id)
        return h('span', { class: 'masked' }, tr('（有附件，无权查看）', '(attached; not visible to you)'));
      if (!isImage(r)) return h('span', { class: 'file-name' }, r.name);
      const img = h('img', { class: 'picture', alt: r.name || tr('附件图片', 'Attached picture') });
      this.loading.push(loadPicture(img, r.id));
      return img;
    });
  }

  /** The fields of the form not placed by a layout, in definition order (tables apart). */
  rest(): SheetField[] {
    return [...this.fields.values()].filter(
      (f) => !this.placed.has(f.id) && f.type !== 'table' && this.printable(f),
    );
  }

  /**
   * Rows for fields not placed elsewhere: label/value pairs, three a row on 12 columns; a photo,
   * file or signature field on a row of its own (an ID card photo needs the width).
   */
  looseRows(list: readonly SheetField[]): HTMLTableRowElement[] {
    const pictures = list.filter((f) => FILES.has(f.type));
    return [
      ...this.pairRows(list.filter((f) => !FILES.has(f.type))),
      ...pictures.map((f) => h('tr', {}, ...this.pair(f.id, 2, 10))),
    ];
  }

  /** Rows of label/value pairs: three pairs a row on 12 columns. */
  pairRows(list: readonly SheetField[]): HTMLTableRowElement[] {
    const rows: HTMLTableRowElement[] = [];
    const perRow = 3;
    for (let i = 0; i < list.length; i += perRow) {
      const chunk = list.slice(i, i + perRow);
      const cells = chunk.flatMap((f, k) => {
        const last = k === chunk.length - 1;
        return this.pair(f.id, 2, last ? 12 - 4 * k - 2 : 2);
      });
      rows.push(h('tr', {}, ...cells));
    }
    return rows;
  }

  /**
   * A table field as rows of a grid: a header row of its column labels, one row per data row
   * (`blankRows` empty ones on a blank form), the options of its choice columns listed below.
   * `spans` gives columns more room (ID numbers, names of schools).
   */
  tableRows(
    id: string,
    spans: Readonly<Record<string, number>>,
    blankRows: number,
  ): {
    head: HTMLTableCellElement[];
    rows: HTMLTableCellElement[][];
    legend: string;
    width: number;
  } {
    const f = this.field(id);
    this.placed.add(id);
    const cols = (f?.columns ?? []).filter((c) => this.printable(c));
    const span = (c: SheetField) => spans[c.id] ?? 1;
    const data = this.data ? this.data[id] : undefined;
    const list = Array.isArray(data) ? (data as Record<string, unknown>[]) : [];
    const count = this.blank ? blankRows : Math.max(list.length, 1);
    const rows = Array.from({ length: count }, (_, i) =>
      cols.map((c) => td(this.blank ? [] : this.show(c, list[i]?.[c.id], true), span(c))),
    );
    const legend = cols
      .filter((c) => CHOICE.has(c.type) && c.options)
      .map((c) => `${t(c.label)}${tr('：', ': ')}${tickText(ticks(c.options ?? [], undefined, t))}`)
      .join(tr('；', '; '));
    return {
      head: cols.map((c) => th(t(c.label), span(c))),
      rows,
      legend,
      width: cols.reduce((n, c) => n + span(c), 0),
    };
  }
}

function labelOf(f: SheetField, v: unknown): string {
  const one = (x: unknown) => {
    const o = f.options?.find((p) => String(p.value) === String(x));
    return o ? t(o.label) : String(x);
  };
  if (v === undefined || v === null || v === '') return '';
  return Array.isArray(v) ? v.map(one).join('、') : one(v);
}

/** Each option its own unbreakable piece, so a line wraps between options, never inside one. */
function tickNodes(list: ReturnType<typeof ticks>): Child[] {
  return list.flatMap((x, i) => [
    i ? ' ' : '',
    h('span', { class: x.on ? 'tick on' : 'tick' }, `${x.on ? '☑' : '□'}${x.text}`),
  ]);
}

export function th(text: Child, span = 1, rows = 1, cls?: string): HTMLTableCellElement {
  return h('th', { colspan: span > 1 ? span : null, rowspan: rows > 1 ? rows : null, class: cls }, text);
}

export function td(children: Child[], span = 1, rows = 1, cls?: string): HTMLTableCellElement {
  return h(
    'td',
    { colspan: span > 1 ? span : null, rowspan: rows > 1 ? rows : null, class: cls },
    ...children,
  );
}

/** A grid table of `columns` equal columns (`table-layout: fixed`: spans decide the widths). */
export function grid(columns: number, cls: string, ...bodies: HTMLElement[]): HTMLTableElement {
  const colgroup = h('colgroup', {}, ...Array.from({ length: columns }, () => h('col', {})));
  return h('table', { class: `grid ${cls}` }, colgroup, ...bodies);
}

async function loadPicture(img: HTMLImageElement, id: string): Promise<void> {
  const s = session();
  try {
    const res = await fetch(`/api/attachments/${encodeURIComponent(id)}`, {
      headers: s ? { authorization: `Bearer ${s.token}`, 'x-nuanxin-client': 'web' } : {},
      credentials: 'omit',
    });
    if (!res.ok) throw new Error(String(res.status));
    const blob = await res.blob();
    // A data: URL (the pages' policy allows `img-src 'self' data:`, not blob:).
    const url = await new Promise<string>((ok, fail) => {
      const r = new FileReader();
      r.onload = () => ok(String(r.result));
      r.onerror = () => fail(r.error);
      r.readAsDataURL(blob);
    });
    await new Promise<void>((ok) => {
      img.addEventListener('load', () => ok(), { once: true });
      img.addEventListener('error', () => ok(), { once: true });
      img.src = url;
    });
  } catch {
    img.replaceWith(h('span', { class: 'masked' }, tr('（附件无法读取）', '(attachment could not be read)')));
  }
}
