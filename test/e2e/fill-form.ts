import type { Page } from 'playwright-core';
import type { Field, ScalarField } from '../../engine/entry/definition.ts';
import type { FormDefinition } from '../../engine/index.ts';

/** The element id the page gives the input at a data pointer (`/members/0/name` → `f-members-0-name`). */
export const inputId = (...parts: (string | number)[]) =>
  ['f', ...parts].map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('-');

/** Every field of a definition by id, table columns under `<table>.<column>`. */
export function fieldIndex(def: FormDefinition): Map<string, Field> {
  const out = new Map<string, Field>();
  const walk = (fields: readonly Field[]) => {
    for (const f of fields) {
      out.set(f.id, f);
      if (f.type === 'group') walk(f.fields as Field[]);
      if (f.type === 'table') for (const c of f.columns) out.set(`${f.id}.${c.id}`, c);
    }
  };
  for (const s of def.sections) walk(s.fields);
  return out;
}

/**
 * Ticks a box or picks a radio with the keyboard: an error appearing under the field just left
 * moves the layout, which a mouse click at the old position would miss.
 */
async function tick(page: Page, selector: string): Promise<void> {
  await page.focus(selector);
  await page.keyboard.press('Space');
  if (!(await page.isChecked(selector))) throw new Error(`${selector} did not get ticked`);
}

/** Enters one value the way a person would: typing, picking, ticking. */
export async function setValue(page: Page, id: string, f: ScalarField, v: unknown): Promise<void> {
  if (f.calculate !== undefined || v === undefined || v === null) return;
  const index = (x: unknown) => ('options' in f ? f.options.findIndex((o) => o.value === x) : -1);
  if (f.type === 'multiselect') {
    for (const x of v as unknown[]) await tick(page, `#${id}-${index(x)}`);
  } else if (f.type === 'boolean') {
    await tick(page, `#${id}-${v ? 0 : 1}`);
  } else if (f.type === 'select') {
    const tag = await page.locator(`#${id}`).evaluate((e) => e.tagName);
    if (tag === 'SELECT') await page.selectOption(`#${id}`, String(v));
    else await tick(page, `#${id}-${index(v)}`);
  } else {
    await page.fill(`#${id}`, String(v));
  }
}

/** Fills a whole submission: scalar fields, then each table row after pressing “add a row”. */
export async function fillSubmission(
  page: Page,
  def: FormDefinition,
  data: Record<string, unknown>,
): Promise<void> {
  const index = fieldIndex(def);
  for (const [key, value] of Object.entries(data)) {
    const f = index.get(key);
    if (!f || f.type === 'group') continue;
    if (f.type === 'table') {
      const rows = value as Record<string, unknown>[];
      for (let i = 0; i < rows.length; i++) {
        await page.click(`fieldset.table[data-field="${key}"] > button.add-row`);
        for (const [col, cv] of Object.entries(rows[i] ?? {})) {
          const c = index.get(`${key}.${col}`) as ScalarField | undefined;
          if (c) await setValue(page, inputId(key, i, col), c, cv);
        }
      }
      continue;
    }
    await setValue(page, inputId(key), f, value);
  }
}
