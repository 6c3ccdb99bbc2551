import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { canSeePii } from '../auth/principal.ts';
import { httpError, notFound } from '../errors/domain-errors.ts';
import type { EffectiveForm, EffectiveForms } from '../forms/effective-forms.ts';
import { unmaskData } from '../forms/pii.ts';
import { getOrgUnit, type OrgUnit, unitInSubtree } from '../org/org-units.ts';
import { type Clock, systemClock } from '../store/clock.ts';
import { isUniqueViolation } from '../store/dialect.ts';
import type { Database } from '../store/schema.ts';
import { writeTransaction } from '../store/write-transaction.ts';
import { recordResponse, requestHash, storedResponse } from './idempotency.ts';
import { runSaves, type SaveContext, saveContext } from './pipeline.ts';
import { scopedRow } from './scope.ts';
import { type SaveActor, type Submission, type SubmissionHooks, toSubmission } from './submission.ts';

export type WritableStatus = 'draft' | 'submitted';

export interface CreateInput {
  data: Record<string, unknown>;
  orgUnit?: string;
  status?: WritableStatus;
  period?: string | null;
}

export interface UpdateInput {
  data?: Record<string, unknown>;
  status?: WritableStatus;
  version: number;
}

/** A workflow action asked for by its name (`POST /api/submissions/:id/actions/:action`). */
export interface ActInput {
  readonly action: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** Which status changes a plain write may make; later stages belong to the workflow. */
const ALLOWED: Record<string, readonly string[]> = {
  draft: ['draft', 'submitted'],
  submitted: ['submitted'],
};

/**
 * Every write of a submission — create, update, delete and the workflow actions that go with
 * them — as one pipeline (`runSaves`): authorize, validate, before-hooks, persist, audit,
 * after-hooks, in one write transaction in which the row is read and then changed with
 * compare-and-set. Kept inside the caller's subtree; drafts may be incomplete.
 */
export class SubmissionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly forms: EffectiveForms,
    readonly hooks: readonly SubmissionHooks[] = [],
    readonly clock: Clock = systemClock,
  ) {}

  /** The validate stage: the runtime's checks for the status the save moves to. */
  private validator(form: EffectiveForm) {
    return (ctx: SaveContext): Record<string, unknown> => {
      const s = ctx.after as Submission;
      const mode = s.status === 'draft' ? 'draft' : 'submit';
      const result = form.compiled.validate(s.data, { mode, orgUnit: s.orgUnit });
      if (!result.ok) throw httpError('NX_ERR_SUBMISSION_INVALID', result.errors);
      return result.data;
    };
  }

  /** The caller with its unit's level (`unit` when it is the caller's own, already read). */
  private async actorOf(db: Kysely<Database>, who: Principal, unit?: OrgUnit): Promise<SaveActor> {
    const own = unit?.code === who.orgCode ? unit : await getOrgUnit(db, who.orgCode);
    if (!own) throw notFound();
    return { ...who, orgLevel: own.level };
  }

  /** Creates one; with an idempotency key a retry returns the first result and stores nothing twice. */
  async create(
    who: Principal,
    formId: string,
    input: CreateInput,
    idempotencyKey?: string,
  ): Promise<{ submission: Submission; replayed: boolean }> {
    const hash = requestHash(['POST', 'submissions', formId, input]);
    if (idempotencyKey) {
      const prior = await storedResponse(this.db, who.userId, idempotencyKey, hash);
      if (prior) return { submission: prior.body as Submission, replayed: true };
    }
    const orgCode = input.orgUnit ?? who.orgCode;
    const org = await getOrgUnit(this.db, orgCode);
    if (!unitInSubtree(org, who.orgPath)) throw httpError('NX_ERR_ORG_NOT_IN_SCOPE');
    const form = await this.forms.get(formId, org.path);
    if (!form) {
      const known = await this.db
        .selectFrom('forms')
        .select('id')
        .where('id', '=', formId)
        .executeTakeFirst();
      throw known ? httpError('NX_ERR_FORM_NOT_PUBLISHED') : notFound();
    }
    const actor = await this.actorOf(this.db, who, org);
    const now = this.clock();
    const after: Submission = {
      id: randomUUID(),
      formId,
      formVersion: form.version,
      orgUnit: orgCode,
      status: input.status ?? 'draft',
      period: input.period ?? null,
      data: input.data,
      version: 1,
      createdBy: who.username,
      createdAt: now,
      updatedAt: now,
    };
    try {
      const saved = await writeTransaction(this.db, async (trx) => {
        const ctx = saveContext({
          action: 'create',
          db: trx,
          actor,
          form: form.definition,
          before: null,
          after,
          orgPath: org.path,
          now,
        });
        await runSaves(this.hooks, [ctx], { validate: this.validator(form) });
        const submission = ctx.after as Submission;
        if (idempotencyKey) {
          await recordResponse(trx, {
            userId: who.userId,
            key: idempotencyKey,
            hash,
            statusCode: 201,
            body: submission,
          });
        }
        return submission;
      });
      return { submission: saved, replayed: false };
    } catch (err) {
      // A concurrent request with the same key won the race: answer with its result.
      if (idempotencyKey && isUniqueViolation(err)) {
        const prior = await storedResponse(this.db, who.userId, idempotencyKey, hash);
        if (prior) return { submission: prior.body as Submission, replayed: true };
      }
      throw err;
    }
  }

  async get(who: Principal, id: string): Promise<Submission> {
    return toSubmission(await scopedRow(this.db, who, id));
  }

  /**
   * Reads the row inside a write transaction, builds the save from it and runs the pipeline:
   * the version compared is the one read here, so nothing written in between is overwritten.
   */
  private async change(
    who: Principal,
    id: string,
    action: 'update' | 'delete',
    make: (before: Submission, form: EffectiveForm, now: string) => Submission | null,
    requested?: ActInput,
  ): Promise<SaveContext> {
    const actor = await this.actorOf(this.db, who);
    // The form (which a submission never changes) is found before the transaction: on SQLite the
    // transaction holds the one connection, and the forms' cache reads through the store.
    const seen = await scopedRow(this.db, who, id);
    const form = await this.forms.get(seen.form_id, seen.org_path, seen.form_version);
    if (!form) throw notFound();
    return writeTransaction(this.db, async (trx) => {
      const row = await scopedRow(trx, who, id, { lock: true });
      const before = toSubmission(row);
      const now = this.clock();
      const ctx = saveContext({
        action,
        db: trx,
        actor,
        form: form.definition,
        before,
        after: make(before, form, now),
        orgPath: row.org_path,
        now,
        requested,
      });
      await runSaves(this.hooks, [ctx], { validate: this.validator(form) });
      return ctx;
    });
  }

  /** Updates with optimistic concurrency: `version` must be the current one, else 409 and nothing changes. */
  async update(who: Principal, id: string, input: UpdateInput): Promise<Submission> {
    const ctx = await this.change(who, id, 'update', (before, form, now) => {
      if (before.version !== input.version) throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
      const status = input.status ?? before.status;
      if (!(ALLOWED[before.status] ?? []).includes(status))
        throw httpError('NX_ERR_SUBMISSION_STATUS_TRANSITION');
      let incoming = input.data ?? {};
      if (!canSeePii(who)) incoming = unmaskData(form.definition, incoming, before.data);
      const data = { ...before.data, ...incoming };
      return { ...before, status, data, version: before.version + 1, updatedAt: now };
    });
    return ctx.after as Submission;
  }

  /**
   * Takes a workflow action on the case of a submission through the same pipeline: an action
   * that changes the submission's status (a submit, a return) is a save like a PATCH of that
   * status — validated for it, with the same hooks and the same rules decision.
   */
  async act(who: Principal, id: string, requested: ActInput): Promise<SaveContext> {
    return this.change(
      who,
      id,
      'update',
      (before, _form, now) => ({ ...before, version: before.version + 1, updatedAt: now }),
      requested,
    );
  }

  /** Soft delete: the row stays (and its history), but no read or list finds it any more. */
  async delete(who: Principal, id: string, version?: number): Promise<void> {
    await this.change(who, id, 'delete', (before) => {
      if (version !== undefined && version !== before.version)
        throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
      return null;
    });
  }
}
