import type { Field, FormDefinition, Section } from '../definition/form-schema.ts';

/** Where a field sits: the array holding it (so it can be replaced or a sibling inserted) and its pointer. */
export interface FieldSlot {
  container: Field[];
  index: number;
  field: Field;
  pointer: string;
}

/** Finds a field by id (groups searched), or a table column by `table.column`. */
export function locateField(def: FormDefinition, ref: string): FieldSlot | undefined {
  const [head, column] = ref.split('.');
  const found = findIn(def, head ?? '');
  if (!found || column === undefined) return found;
  if (found.field.type !== 'table') return undefined;
  const cols = found.field.columns as Field[];
  const index = cols.findIndex((c) => c.id === column);
  const col = cols[index];
  return col
    ? { container: cols, index, field: col, pointer: `${found.pointer}/columns/${index}` }
    : undefined;
}

function findIn(def: FormDefinition, id: string): FieldSlot | undefined {
  const search = (fields: Field[], base: string): FieldSlot | undefined => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const pointer = `${base}/${i}`;
      if (f.id === id) return { container: fields, index: i, field: f, pointer };
      if (f.type === 'group') {
        const hit = search(f.fields as Field[], `${pointer}/fields`);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  for (let s = 0; s < def.sections.length; s++) {
    const hit = search(def.sections[s]!.fields, `/sections/${s}/fields`);
    if (hit) return hit;
  }
  return undefined;
}

export function locateSection(
  def: FormDefinition,
  id: string,
): { section: Section; pointer: string } | undefined {
  const i = def.sections.findIndex((s) => s.id === id);
  const section = def.sections[i];
  return section ? { section, pointer: `/sections/${i}` } : undefined;
}
