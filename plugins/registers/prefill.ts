import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { registerError } from './load-register.ts';
import { type Reader, recordInScope, recordView } from './read.ts';
import type { RegisterDefinition } from './register-schema.ts';
import { fieldValue } from './values.ts';

/**
 * A follow-up: the form's fields filled from the record's current version (each bound property
 * back into its field, the key into the key field) and the base-version field set to that
 * version, so a save against a record that moved on meanwhile is flagged as a conflict.
 * `submissionId` is the survey of the current version (null when it came from an import, a merge
 * or a resolution without one): a page reads the rest of the form (members, assets) from it.
 */
export async function prefill(
  db: Kysely<Database>,
  def: RegisterDefinition,
  reader: Reader,
  recordId: string,
  formId?: string,
) {
  const binding = formId ? def.forms.find((f) => f.form === formId) : def.forms[0];
  if (!binding) throw registerError('NX_ERR_REGISTERS_NOT_FOUND');
  const row = await recordInScope(db, def, reader, recordId);
  const view = recordView(def, reader, row);
  const data: Record<string, unknown> = { [binding.key]: view.key };
  for (const [prop, field] of Object.entries(binding.properties)) {
    const p = def.properties.find((x) => x.id === prop);
    const v = p ? fieldValue(p, view.properties[prop]) : view.properties[prop];
    if (v !== null && v !== undefined) data[field] = v;
  }
  if (binding.baseVersion) data[binding.baseVersion] = view.currentVersion;
  return {
    form: binding.form,
    recordId: view.id,
    baseVersion: view.currentVersion,
    submissionId: row.current_submission ?? null,
    data,
  };
}
