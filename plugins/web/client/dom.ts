/**
 * The only way the client makes DOM: values go in through textContent and setAttribute, never
 * innerHTML, so a label or a name containing markup is shown as text.
 */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's content. */
export function fill(el: Node, ...children: Child[]): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, ...children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

/** Text for an element id: pointers and field ids may hold any characters; keep ids simple. */
export function domId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('-');
}

/**
 * A table's horizontal scroller for narrow screens: a region that takes the keyboard focus, so a
 * keyboard user can scroll it too, named as its table is (`aria-labelledby`, `aria-label`, else
 * the caption).
 */
export function scrollBox(table: HTMLTableElement): HTMLDivElement {
  const by = table.getAttribute('aria-labelledby');
  const label = table.getAttribute('aria-label') ?? table.caption?.textContent ?? null;
  return h(
    'div',
    { class: 'scroll', tabindex: 0, role: 'region', 'aria-labelledby': by, 'aria-label': by ? null : label },
    table,
  );
}

/** A column of a list table: its title, and what an item shows in the column's cell. */
export type Column<T> = readonly [title: string, cell: (item: T) => Child | readonly Child[]];

/**
 * A list table in its keyboard-reachable scroller: the caption, one header row of the columns'
 * titles, and a row per item (its attributes from `rowAttrs`) with a cell per column.
 */
export function listTable<T>(
  attrs: Attrs,
  caption: string,
  columns: readonly Column<T>[],
  items: readonly T[],
  rowAttrs: (item: T) => Attrs = () => ({}),
): HTMLDivElement {
  const cells = (item: T) =>
    columns.map(([, cell]) => {
      const c = cell(item);
      return Array.isArray(c) ? h('td', {}, ...(c as readonly Child[])) : h('td', {}, c as Child);
    });
  return scrollBox(
    h(
      'table',
      { class: 'list', ...attrs },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...columns.map(([title]) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, ...items.map((item) => h('tr', rowAttrs(item), ...cells(item)))),
    ),
  );
}
