import type { ScalarField } from '../../../engine/entry/definition.ts';
import { fileListControl } from './attachment-fields.ts';
import { h } from './dom.ts';
import type { Precheck } from './file-picker.ts';
import { geopointControl } from './geopoint-field.ts';
import { t, tr } from './i18n.ts';
import { signatureControl } from './signature-field.ts';

/**
 * One input for one scalar field (a top-level field or a table cell): the control, how to read
 * its value as the runtime expects it, and how to show a value.
 */
export interface Control {
  /** The element the label points at and errors are attached to. */
  readonly focusable: HTMLElement;
  /** What goes in the field's wrapper after the label. */
  readonly node: HTMLElement;
  read(): unknown;
  write(v: unknown): void;
}

const NUMERIC = new Set(['integer', 'number', 'money']);

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Options keep their declared type (a select of integers gives integers back). */
function optionValue(f: { options: readonly { value: string | number }[] }, s: string): unknown {
  return f.options.find((o) => String(o.value) === s)?.value ?? s;
}

/**
 * `precheck` runs the form's compiled runtime on a value the field would take (a file picked but
 * not yet kept), so a file is refused on the page by the same limits as on the server.
 */
export function makeControl(
  f: ScalarField,
  id: string,
  describedBy: string,
  computed: boolean,
  precheck: Precheck = () => [],
): Control {
  const aria = { 'aria-describedby': describedBy };
  if (f.type === 'photo' || f.type === 'file') return fileListControl(f, id, describedBy, precheck);
  if (f.type === 'signature') return signatureControl(f, id, describedBy, precheck);
  if (f.type === 'geopoint') return geopointControl(f, id, describedBy);
  if (f.type === 'select' && f.display !== 'dropdown' && !computed && f.options.length <= 4) {
    return choiceGroup(f, id, describedBy, 'radio', f.options);
  }
  if (f.type === 'select') {
    const sel = h('select', { id, name: id, ...aria, disabled: computed || f.readOnly });
    sel.append(h('option', { value: '' }, tr('请选择', 'Choose…')));
    for (const o of f.options) sel.append(h('option', { value: String(o.value) }, t(o.label)));
    return {
      focusable: sel,
      node: sel,
      read: () => (sel.value === '' ? undefined : optionValue(f, sel.value)),
      write: (v) => {
        sel.value = str(v);
      },
    };
  }
  if (f.type === 'multiselect') return choiceGroup(f, id, describedBy, 'checkbox', f.options);
  if (f.type === 'boolean') {
    const opts = [
      { value: 'true', label: { 'zh-CN': '是', en: 'Yes' } },
      { value: 'false', label: { 'zh-CN': '否', en: 'No' } },
    ];
    const c = choiceGroup({ options: opts }, id, describedBy, 'radio', opts);
    return {
      ...c,
      read: () => {
        const v = c.read();
        return v === undefined ? undefined : v === 'true';
      },
      write: (v) => c.write(v === undefined || v === null ? undefined : String(v)),
    };
  }
  const common = {
    id,
    name: id,
    ...aria,
    readonly: computed || f.readOnly,
    placeholder: t(f.placeholder) || null,
  };
  const el =
    f.type === 'textarea'
      ? h('textarea', { ...common, rows: 3 })
      : h('input', {
          ...common,
          type: f.type === 'date' ? 'date' : f.type === 'phone' ? 'tel' : 'text',
          inputmode: NUMERIC.has(f.type) ? (f.type === 'integer' ? 'numeric' : 'decimal') : null,
          autocomplete: f.type === 'idcard' ? 'off' : null,
          maxlength: f.type === 'idcard' ? 18 : null,
          min: f.type === 'date' ? f.min : null,
          max: f.type === 'date' ? f.max : null,
        });
  if (computed) el.classList.add('computed');
  const node = f.unit ? h('span', { class: 'with-unit' }, el, h('span', { class: 'unit' }, f.unit)) : el;
  return {
    focusable: el,
    node,
    read: () => (el.value.trim() === '' ? undefined : el.value),
    write: (v) => {
      el.value = str(v);
    },
  };
}

function choiceGroup(
  f: { options: readonly { value: string | number; label: unknown }[] },
  id: string,
  describedBy: string,
  kind: 'radio' | 'checkbox',
  options: readonly { value: string | number; label: unknown }[],
): Control {
  const inputs: HTMLInputElement[] = [];
  const group = h('div', { class: `choices ${kind}`, role: kind === 'radio' ? 'radiogroup' : 'group', id });
  group.setAttribute('aria-describedby', describedBy);
  options.forEach((o, i) => {
    const input = h('input', { type: kind, id: `${id}-${i}`, name: id, value: String(o.value) });
    inputs.push(input);
    group.append(h('label', { class: 'choice', for: `${id}-${i}` }, input, ' ', t(o.label)));
  });
  return {
    focusable: group,
    node: group,
    read: () => {
      const on = inputs.filter((i) => i.checked).map((i) => optionValue(f, i.value));
      if (kind === 'checkbox') return on.length ? on : undefined;
      return on[0];
    },
    write: (v) => {
      const want = new Set((Array.isArray(v) ? v : v === undefined ? [] : [v]).map(str));
      for (const i of inputs) i.checked = want.has(i.value);
    },
  };
}
