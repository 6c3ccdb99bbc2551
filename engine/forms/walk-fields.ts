import type { Field, FormDefinition, ScalarField, TableField } from '../definition/form-schema.ts';

/**
 * Every data-carrying field of a definition, groups flattened (their fields keep top-level
 * ids in the data). Table fields are returned as themselves; their columns are read from them.
 */
export function dataFields(def: FormDefinition): (ScalarField | TableField)[] {
  const out: (ScalarField | TableField)[] = [];
  const visit = (f: Field) => {
    if (f.type === 'group') for (const child of f.fields as Field[]) visit(child);
    else out.push(f);
  };
  for (const section of def.sections) for (const f of section.fields) visit(f);
  return out;
}
