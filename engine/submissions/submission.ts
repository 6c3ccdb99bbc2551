import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import type { FormDefinition } from '../definition/form-schema.ts';
import type { Database, SubmissionTable } from '../store/schema.ts';

/** A submission as the API returns it (before masking). */
export interface Submission {
  id: string;
  formId: string;
  formVersion: number;
  orgUnit: string;
  status: string;
  period: string | null;
  data: Record<string, unknown>;
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const toSubmission = (r: SubmissionTable): Submission => ({
  id: r.id,
  formId: r.form_id,
  formVersion: r.form_version,
  orgUnit: r.org_code,
  status: r.status,
  period: r.period,
  data: JSON.parse(r.data) as Record<string, unknown>,
  version: r.version,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What a hook around a save sees. `db` is the transaction of the save: a hook's writes commit or roll back with it. */
export interface SubmissionHookArgs {
  readonly action: 'create' | 'update' | 'delete';
  readonly db: Kysely<Database>;
  readonly actor: Principal;
  readonly form: FormDefinition;
  readonly before: Readonly<Submission> | null;
  readonly after: Readonly<Submission> | null;
}

/**
 * Extension points around every submission write (workflow steps, plugins). `beforeSave` may
 * throw to refuse the write; `afterSave` runs after the row and its audit entry are written,
 * still inside the transaction.
 */
export interface SubmissionHooks {
  readonly name?: string;
  beforeSave?(args: SubmissionHookArgs): void | Promise<void>;
  afterSave?(args: SubmissionHookArgs): void | Promise<void>;
}
