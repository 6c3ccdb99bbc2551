import { dataFields, outlineForm } from '../definition/form-outline.ts';

/**
 * What `loadWorkflow({ forms })` needs to know of the forms: form id → the ids of its data
 * fields (groups hold no data; table columns are read through the table). Builds it from form
 * definitions as loaded, e.g. `formFieldIndex([householdSurvey, visitStatistics])`.
 */
export function formFieldIndex(forms: readonly unknown[]): Record<string, string[]> {
  const index: Record<string, string[]> = {};
  for (const form of forms) {
    const id = (form as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') continue;
    index[id] = dataFields(outlineForm(form)).flatMap((f) => (f.id === undefined ? [] : [f.id]));
  }
  return index;
}
