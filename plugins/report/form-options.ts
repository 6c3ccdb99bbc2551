import type { FormDefinition } from '../../engine/entry/definition.ts';
import type { Text } from '../../engine/entry/plugin.ts';

/**
 * Option labels of a form's select fields by path (`headSex`, `members.relation`), so a list
 * column can show 男 instead of `male`.
 */
export function optionLabels(form: FormDefinition): Map<string, Map<string, Text>> {
  const out = new Map<string, Map<string, Text>>();
  const walk = (fields: readonly unknown[], prefix: string) => {
    for (const f of fields as {
      id: string;
      type: string;
      options?: { value: string; label: Text }[];
      fields?: unknown[];
      columns?: unknown[];
    }[]) {
      if (f.options) out.set(prefix + f.id, new Map(f.options.map((o) => [String(o.value), o.label])));
      if (f.fields) walk(f.fields, prefix);
      if (f.columns) walk(f.columns, `${prefix}${f.id}.`);
    }
  };
  for (const s of form.sections) walk(s.fields, '');
  return out;
}
