import type { Kysely } from 'kysely';
import type { NewAuditEntry } from '../audit/audit.ts';
import type { Principal } from '../auth/principal.ts';
import type { FormDefinition } from '../definition/form-schema.ts';
import type { ValidationError } from '../runtime/types.ts';
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

/** Who saves: the principal with the level of its org unit (the workflow's `by` rules read it). */
export interface SaveActor extends Principal {
  readonly orgLevel: string;
}

/** The workflow action a save carries (a submit, a return, …), as authorized. */
export interface SaveTransition {
  readonly workflowId: string;
  readonly action: string;
  readonly from: string;
  /** The target state (the current one while a countersign still waits for others). */
  readonly to: string;
  /** What the actor filled in (`comment` among it). */
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * What a participant sees at each stage of a save (`SAVE_STAGES`): the same object from the
 * first stage to the last. `db` is the transaction of the save: what a participant writes there
 * commits or rolls back with the submission.
 */
export interface SubmissionHookArgs {
  readonly action: 'create' | 'update' | 'delete';
  readonly db: Kysely<Database>;
  readonly actor: SaveActor;
  readonly form: FormDefinition;
  /** As read inside the save's transaction (null for a create). */
  readonly before: Readonly<Submission> | null;
  /** What the save stores (null for a delete); its `data` is validated from the validate stage on. */
  readonly after: Readonly<Submission> | null;
  /** True when the submission row is written; false for a workflow action that changes no status. */
  readonly saves: boolean;
  /** The workflow action this save carries, once authorized. */
  readonly transition: SaveTransition | undefined;
  /** Org path of the submission's unit. */
  readonly orgPath: string;
  /** The save's instant (the pipeline's clock). */
  readonly now: string;
  /** Entries a participant adds here are written with the save's own, in one statement, at the audit stage. */
  readonly audit: NewAuditEntry[];
  /**
   * The save's own audit entry once written (from the afterHooks stage on): where it stands in
   * the log, when and by whom. Absent when the writer does not say (a bulk import).
   */
  readonly entry: { readonly id: number; readonly at: string; readonly actor: string | null } | undefined;
  /** The workflow action the caller asked for (`POST …/actions/:action`), if any. */
  readonly requested:
    | { readonly action: string; readonly input: Readonly<Record<string, unknown>> }
    | undefined;
}

/** What `authorize` may settle: the status the save moves to and the workflow action it carries. */
export interface AuthorizeResult {
  readonly status?: 'draft' | 'submitted';
  readonly transition?: SaveTransition;
}

/**
 * A participant in every submission save (workflow, plugins, registers …), called at the stages
 * of `SAVE_STAGES` in their declared order. Any stage may throw to refuse the save: nothing is
 * written then. `beforeTransition` may instead return located errors (422).
 */
export interface SubmissionHooks {
  readonly name?: string;
  /** Before anything is validated or written: may refuse, or settle the status and the transition. */
  authorize?(args: SubmissionHookArgs): AuthorizeResult | undefined | Promise<AuthorizeResult | undefined>;
  /** After validation, before the row is written (not called when `saves` is false). */
  beforeSave?(args: SubmissionHookArgs): void | Promise<void>;
  /** Before a transition is written. */
  beforeTransition?(
    args: SubmissionHookArgs & { readonly transition: SaveTransition },
  ): readonly ValidationError[] | undefined | Promise<readonly ValidationError[] | undefined>;
  /** Right after the row is written (or in its place when `saves` is false): what belongs with it. */
  persist?(args: SubmissionHookArgs): void | Promise<void>;
  /** After the row and its audit entries, still in the transaction (not called when `saves` is false). */
  afterSave?(args: SubmissionHookArgs): void | Promise<void>;
  /** After a transition is written, still in the transaction. */
  afterTransition?(args: SubmissionHookArgs & { readonly transition: SaveTransition }): void | Promise<void>;
}
