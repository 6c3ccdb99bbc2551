import { formJsonSchema } from './form-json-schema.ts';
import { dataFields, outlineForm } from './form-outline.ts';
import { FormDefinition } from './form-schema.ts';
import type { DefinitionKind } from './kind.ts';
import { loadForm } from './load-form.ts';

/**
 * Forms as a definition kind. Names others may refer to: `fields` (the data fields at the top
 * level of a submission), `tables` (table fields) and `columns/<table>` (a table's columns).
 */
export const formKind: DefinitionKind<FormDefinition> = {
  name: 'form',
  folder: 'forms',
  title: { 'zh-CN': '表单', en: 'form' },
  schema: FormDefinition,
  jsonSchema: formJsonSchema,
  load: (json, ctx) => loadForm(json, ctx),
  idOf: (form) => form.id,
  names(form) {
    const outline = outlineForm(form);
    const out: Record<string, string[]> = {
      fields: dataFields(outline).flatMap((f) => (f.id ? [f.id] : [])),
      tables: [],
    };
    for (const [table, columns] of outline.columns) {
      if (!table.id) continue;
      out.tables?.push(table.id);
      out[`columns/${table.id}`] = columns.flatMap((c) => (c.id ? [c.id] : []));
    }
    return out;
  },
};
