import type { FormDefinition } from '../../../engine/entry/definition.ts';
import { api } from './api.ts';
import { h } from './dom.ts';
import { renderForm } from './form-view.ts';
import { prepareRuntime } from './runtime-registries.ts';

export interface SubmissionJson {
  id: string;
  formId: string;
  formVersion: number;
  orgUnit: string;
  status: string;
  data: Record<string, unknown>;
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A submission shown in its own form version and unit, every input disabled (values as stored). */
export async function readonlyForm(sub: SubmissionJson): Promise<HTMLElement> {
  const eff = await api<{ definition: FormDefinition }>(
    'GET',
    // In the submission's unit: a village's overlay fields show for its reviewers too.
    `/api/forms/${encodeURIComponent(sub.formId)}?${new URLSearchParams({ version: String(sub.formVersion), org: sub.orgUnit })}`,
  );
  await prepareRuntime(eff.definition);
  const view = renderForm(eff.definition, { initial: sub.data });
  const box = h('fieldset', { class: 'readonly', disabled: true });
  box.append(view.element);
  return box;
}
