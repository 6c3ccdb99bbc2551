import type { Field, FormDefinition, ScalarField, TableField } from '../../../engine/entry/definition.ts';
import type {
  Evaluator,
  ValidateContext,
  ValidationError,
  ValidationResult,
} from '../../../engine/entry/runtime.ts';
import { compileForm, compileLogic } from '../../../engine/entry/runtime.ts';
import { domId, fill, h } from './dom.ts';
import { type Control, makeControl } from './form-fields.ts';
import { t, tr } from './i18n.ts';
import { runtimeRegistries, uncheckedTypes } from './runtime-registries.ts';

/**
 * A form generated from its definition, live: every change runs the same compiled runtime as the
 * server (calculations, visibility, checks), and errors are mapped by JSON pointer to inputs.
 */
export interface FormView {
  readonly element: HTMLElement;
  /** The raw values as entered (the runtime and the server coerce them). */
  data(): Record<string, unknown>;
  /** Runs the checks and shows every error; `submit` also requires what is required. */
  check(mode: 'draft' | 'submit'): ValidationResult;
  /** Shows errors from elsewhere (the server's re-validation) field by field. */
  showErrors(errors: readonly ValidationError[]): void;
}

export interface FormViewOptions {
  initial?: Record<string, unknown>;
  ctx?: ValidateContext;
  onChange?: (data: Record<string, unknown>) => void;
}

interface Slot {
  /** Where the field is, in words, for the summary: section · table row · label. */
  name: string;
  control: Control;
  error: HTMLElement;
  wrapper: HTMLElement;
}

interface Visible {
  el: HTMLElement;
  rule: Evaluator;
  table?: string;
  row?: number;
}

/** JSON Logic truthiness: an empty array is false, everything else as JavaScript. */
const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));

/** Parts of a field's place in words, a part equal to the one before it said once. */
const place = (...parts: string[]) => parts.filter((p, i) => p !== '' && p !== parts[i - 1]).join(' · ');

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function renderForm(def: FormDefinition, opts: FormViewOptions = {}): FormView {
  const { fieldTypes, operations } = runtimeRegistries();
  const compiled = compileForm(def, { fieldTypes, operations });
  const ctx: ValidateContext = opts.ctx ?? {};
  const state: Record<string, unknown> = structuredClone(opts.initial ?? {});
  const slots = new Map<string, Slot>();
  const visibles: Visible[] = [];
  const computed: { pointer: string; field: string; table?: string; row?: number }[] = [];
  const ruleCache = new Map<unknown, Evaluator>();
  const touched = new Set<string>();
  let showAll = false;
  let external: ValidationError[] = [];

  const rule = (r: unknown): Evaluator => {
    let e = ruleCache.get(r);
    if (!e) {
      e = compileLogic(r, operations);
      ruleCache.set(r, e);
    }
    return e;
  };

  /** The title of the section being drawn (tables keep their own for rows added later). */
  let section = '';
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
  const root = h('form', { class: 'nx-form', novalidate: true, 'data-form': def.id });
  root.addEventListener('submit', (e) => e.preventDefault());
  root.append(summary);
  for (const u of uncheckedTypes(def))
    root.append(
      h(
        'p',
        { class: 'error', role: 'alert', 'data-unchecked-type': u.name },
        tr(
          `字段类型“${u.name}”由插件“${u.plugin}”提供，但该插件没有提供网页模块：网页无法检查这类字段，保存时由服务器检查。`,
          `Field type "${u.name}" comes from plugin "${u.plugin}", which has no browser module: the page cannot check such fields; the server checks them on saving.`,
        ),
      ),
    );

  /** A labelled field with its help and error line; `pointer` is where its value lives in the data. */
  function scalar(
    f: ScalarField,
    pointer: string,
    table?: { id: string; row: number; label: string; section: string },
  ): HTMLElement {
    const id = domId('f', ...pointer.split('/').filter(Boolean));
    const helpId = `${id}-help`;
    const errId = `${id}-err`;
    const isComputed = f.calculate !== undefined;
    /** The errors the runtime gives at this field if it held `v` (the rest of the form as it is). */
    const precheck = (v: unknown): ValidationError[] => {
      const trial = structuredClone(state);
      const target = table ? (trial[table.id] as Record<string, unknown>[] | undefined)?.[table.row] : trial;
      if (!target) return [];
      target[f.id] = v;
      return compiled
        .validate(trial, { ...ctx, mode: 'draft' })
        .errors.filter((e) => e.path === pointer || e.path.startsWith(`${pointer}/`));
    };
    const control = makeControl(f, id, `${helpId} ${errId}`, isComputed, precheck);
    const labelText = [t(f.label), f.required ? ' *' : ''];
    const isGroup = control.focusable.getAttribute('role') !== null;
    const label = isGroup
      ? h('span', { class: 'label', id: `${id}-label` }, ...labelText)
      : h('label', { for: id, class: 'label' }, ...labelText);
    if (isGroup) control.focusable.setAttribute('aria-labelledby', `${id}-label`);
    const error = h('p', { class: 'error', id: errId, 'aria-live': 'polite' });
    const wrapper = h(
      'div',
      { class: `field type-${f.type}`, 'data-field': f.id },
      label,
      f.help ? h('p', { class: 'help', id: helpId }, t(f.help)) : h('span', { id: helpId, hidden: true }),
      control.node,
      error,
    );
    const value = table
      ? (state[table.id] as Record<string, unknown>[] | undefined)?.[table.row]?.[f.id]
      : state[f.id];
    control.write(value ?? f.default);
    if (!isComputed) {
      const onInput = () => {
        const v = control.read();
        const target = table ? (state[table.id] as Record<string, unknown>[])[table.row] : state;
        if (!target) return;
        if (v === undefined) delete target[f.id];
        else target[f.id] = v;
        external = external.filter((e) => e.path !== pointer);
        refresh();
      };
      control.node.addEventListener('input', onInput);
      control.node.addEventListener('change', onInput);
      control.node.addEventListener('focusout', () => {
        touched.add(pointer);
        refresh();
      });
    } else computed.push({ pointer, field: f.id, table: table?.id, row: table?.row });
    if (f.visibleIf !== undefined)
      visibles.push({ el: wrapper, rule: rule(f.visibleIf), table: table?.id, row: table?.row });
    const name = table
      ? place(table.section, table.label, tr(`第 ${table.row + 1} 行`, `row ${table.row + 1}`), t(f.label))
      : place(section, t(f.label));
    slots.set(pointer, { name, control, error, wrapper });
    return wrapper;
  }

  function tableField(f: TableField): HTMLElement {
    const pointer = `/${escapePointer(f.id)}`;
    const where = { label: t(f.label), section };
    if (!Array.isArray(state[f.id])) state[f.id] = [];
    const rows = h('div', { class: 'rows' });
    const error = h('p', { class: 'error', id: domId('f', f.id, 'err'), 'aria-live': 'polite' });
    const add = h(
      'button',
      { type: 'button', class: 'add-row' },
      `＋ ${tr('添加一行', 'Add a row')}：${t(f.label)}`,
    );
    const box = h(
      'fieldset',
      { class: 'table', 'data-field': f.id },
      h('legend', {}, t(f.label)),
      f.help ? h('p', { class: 'help' }, t(f.help)) : null,
      rows,
      error,
      add,
    );
    const draw = () => {
      for (const key of [...slots.keys()]) if (key.startsWith(`${pointer}/`)) slots.delete(key);
      for (let i = visibles.length - 1; i >= 0; i--) if (visibles[i]?.table === f.id) visibles.splice(i, 1);
      for (let i = computed.length - 1; i >= 0; i--) if (computed[i]?.table === f.id) computed.splice(i, 1);
      fill(rows);
      const list = state[f.id] as Record<string, unknown>[];
      list.forEach((_, i) => {
        const remove = h(
          'button',
          { type: 'button', class: 'remove-row' },
          tr(`删除第 ${i + 1} 行`, `Remove row ${i + 1}`),
        );
        remove.addEventListener('click', () => {
          list.splice(i, 1);
          draw();
          refresh();
          add.focus();
        });
        rows.append(
          h(
            'fieldset',
            { class: 'row' },
            h('legend', {}, tr(`第 ${i + 1} 行`, `Row ${i + 1}`)),
            ...f.columns.map((c) =>
              scalar(c, `${pointer}/${i}/${escapePointer(c.id)}`, { id: f.id, row: i, ...where }),
            ),
            remove,
          ),
        );
      });
      add.disabled = f.maxRows !== undefined && list.length >= f.maxRows;
    };
    add.addEventListener('click', () => {
      (state[f.id] as Record<string, unknown>[]).push({});
      draw();
      refresh();
      const last = rows.lastElementChild?.querySelector<HTMLElement>('input, select, textarea');
      last?.focus();
    });
    draw();
    slots.set(pointer, {
      name: place(where.section, where.label),
      control: { focusable: add, node: box, read: () => state[f.id], write: () => {} },
      error,
      wrapper: box,
    });
    if (f.visibleIf !== undefined) visibles.push({ el: box, rule: rule(f.visibleIf) });
    return box;
  }

  function field(f: Field): HTMLElement {
    if (f.type === 'table') return tableField(f);
    if (f.type === 'group') {
      const g = h(
        'fieldset',
        { class: 'group' },
        h('legend', {}, t(f.label)),
        f.help ? h('p', { class: 'help' }, t(f.help)) : null,
      );
      for (const c of f.fields) g.append(field(c as Field));
      if (f.visibleIf !== undefined) visibles.push({ el: g, rule: rule(f.visibleIf) });
      return g;
    }
    return scalar(f, `/${escapePointer(f.id)}`);
  }

  for (const s of def.sections) {
    const sec = h(
      'section',
      { class: 'section', 'aria-labelledby': domId('s', s.id) },
      h('h2', { id: domId('s', s.id) }, t(s.title)),
    );
    section = t(s.title);
    if (s.help) sec.append(h('p', { class: 'help' }, t(s.help)));
    for (const f of s.fields) sec.append(field(f));
    if (s.visibleIf !== undefined) visibles.push({ el: sec, rule: rule(s.visibleIf) });
    root.append(sec);
  }

  /** The slot an error belongs to: its own, else the nearest enclosing one (a table for its row count). */
  function slotFor(path: string): Slot | undefined {
    let p = path;
    while (p !== '') {
      const s = slots.get(p);
      if (s) return s;
      p = p.slice(0, p.lastIndexOf('/'));
    }
    return undefined;
  }

  function paint(errors: readonly ValidationError[]) {
    for (const s of slots.values()) {
      fill(s.error);
      s.control.focusable.removeAttribute('aria-invalid');
      s.wrapper.classList.remove('invalid');
    }
    const loose: ValidationError[] = [];
    const shown: { err: ValidationError; slot?: Slot }[] = [];
    for (const e of errors) {
      const slot = slotFor(e.path);
      if (!slot) loose.push(e);
      else if (showAll || touched.has(e.path) || external.includes(e)) {
        if (slot.error.textContent) slot.error.append(h('br'));
        slot.error.append(t(e.message));
        slot.control.focusable.setAttribute('aria-invalid', 'true');
        slot.wrapper.classList.add('invalid');
      } else continue;
      shown.push({ err: e, slot });
    }
    fill(summary);
    const listed = showAll ? shown : shown.filter((s) => !s.slot);
    summary.hidden = listed.length === 0;
    if (listed.length) {
      summary.append(h('p', {}, tr(`有 ${listed.length} 处需要修改：`, `${listed.length} thing(s) to fix:`)));
      const ul = h('ul');
      for (const { err, slot } of listed) {
        const li = h('li');
        if (slot) {
          const a = h(
            'a',
            { href: `#${slot.control.focusable.id}` },
            h('strong', {}, slot.name),
            tr('：', ': '),
            t(err.message),
          );
          a.addEventListener('click', (ev) => {
            ev.preventDefault();
            slot.control.focusable.focus();
          });
          li.append(a);
        } else li.append(t(err.message));
        ul.append(li);
      }
      summary.append(ul);
    }
  }

  let last: ValidationResult = { ok: true, data: {}, errors: [] };
  function refresh(mode: 'draft' | 'submit' = 'draft') {
    last = compiled.validate(state, { ...ctx, mode });
    const data = last.data;
    for (const c of computed) {
      const v = c.table
        ? (data[c.table] as Record<string, unknown>[] | undefined)?.[c.row ?? 0]?.[c.field]
        : data[c.field];
      slots.get(c.pointer)?.control.write(v);
    }
    for (const v of visibles) {
      const row = v.table ? (data[v.table] as unknown[] | undefined)?.[v.row ?? 0] : undefined;
      let show = true;
      try {
        show = truthy(v.rule({ data, row, ctx: { ...ctx, mode } }));
      } catch {
        show = true; // a failing rule is reported by the runtime; keep the field reachable
      }
      v.el.hidden = !show;
    }
    paint([
      ...last.errors,
      ...external.filter((e) => !last.errors.some((l) => l.path === e.path && l.code === e.code)),
    ]);
    opts.onChange?.(state);
    return last;
  }
  refresh();

  return {
    element: root,
    data: () => structuredClone(state),
    check(mode) {
      showAll = true;
      external = [];
      const r = refresh(mode);
      if (!r.ok) {
        summary.focus();
        summary.scrollIntoView({ block: 'start' });
      }
      return r;
    },
    showErrors(errors) {
      showAll = true;
      external = [...errors];
      refresh();
      summary.scrollIntoView({ block: 'start' });
    },
  };
}
