/**
 * What a printed form says for a value, without the DOM: tick boxes for every option (☑ chosen,
 * □ not), yes/no as two boxes, attachment references read from a value. Pure, so it is tested
 * without a browser (`test/plugins/web/print-marks.test.ts`).
 */

export const TICKED = '☑';
export const UNTICKED = '□';

export interface PrintOption {
  readonly value: unknown;
  readonly label: unknown;
}

export interface Tick {
  readonly on: boolean;
  readonly text: string;
}

/** The two boxes of a yes/no field. */
export const YES_NO: readonly PrintOption[] = [
  { value: true, label: { 'zh-CN': '是', en: 'Yes' } },
  { value: false, label: { 'zh-CN': '否', en: 'No' } },
];

/**
 * Every option of a choice, in the definition's order, ticked when the value (one value or a
 * list) holds it: the paper's `☑疾病 □灾害 …`. A blank form (value absent) ticks nothing.
 */
export function ticks(
  options: readonly PrintOption[],
  value: unknown,
  label: (l: unknown) => string,
): Tick[] {
  const chosen = new Set(
    (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map(String),
  );
  return options.map((o) => ({ on: chosen.has(String(o.value)), text: label(o.label) }));
}

/** Ticks as one line of text: `☑男 □女`. */
export function tickText(list: readonly Tick[]): string {
  return list.map((x) => `${x.on ? TICKED : UNTICKED}${x.text}`).join(' ');
}

/** A stored attachment reference as the print reads it; `masked` when the reader may not see it. */
export interface PrintRef {
  readonly id: string | null;
  readonly name: string;
  readonly type: string;
  readonly masked: boolean;
}

/** The references of a photo, file (lists) or signature (one) value; anything else gives none. */
export function attachmentRefs(value: unknown): PrintRef[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  const out: PrintRef[] = [];
  for (const v of list) {
    if (!v || typeof v !== 'object') continue;
    const r = v as Record<string, unknown>;
    const masked = r.masked === true || typeof r.id !== 'string';
    out.push({
      id: masked ? null : String(r.id),
      name: typeof r.name === 'string' ? r.name : '',
      type: typeof r.type === 'string' ? r.type : '',
      masked,
    });
  }
  return out;
}

/** Whether an attachment can be shown as a picture on paper (a PDF is named, not drawn). */
export const isImage = (r: PrintRef): boolean => /^image\//.test(r.type);

/** A number or text as printed; the unit follows unless the label already says it (年收入（元）). */
export function plainValue(value: unknown, unit: string | undefined, label: string): string {
  if (value === undefined || value === null || value === '') return '';
  const s = Array.isArray(value) ? value.map(String).join('、') : String(value);
  return unit && !label.includes(unit) ? `${s} ${unit}` : s;
}
