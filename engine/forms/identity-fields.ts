import type { FormDefinition } from '../definition/form-schema.ts';
import { dataFields } from './walk-fields.ts';

/** Which fields of a form name the family a submission is about: a name and an ID number. */
export interface IdentityFields {
  readonly name: string | null;
  readonly idNumber: string | null;
}

/**
 * Read from the form's own fields, not from a list of known forms: the ID number is the first
 * `idcard` field outside a table, the name the first `text` field of the same section before it
 * (else after it). A form without such a field names nobody (a statistics table, say).
 *
 * @example identityFields(survey) // { name: 'headName', idNumber: 'headIdNumber' }
 */
export function identityFields(def: FormDefinition): IdentityFields {
  for (const section of def.sections) {
    const fields = dataFields({ ...def, sections: [section] });
    const at = fields.findIndex((f) => f.type === 'idcard');
    if (at < 0) continue;
    const name =
      fields.slice(0, at).find((f) => f.type === 'text') ??
      fields.slice(at + 1).find((f) => f.type === 'text');
    return { name: name?.id ?? null, idNumber: fields[at]?.id ?? null };
  }
  return { name: null, idNumber: null };
}
