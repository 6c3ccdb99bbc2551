import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/audit.ts';
import type { Principal } from '../auth/principal.ts';
import { canSeePii } from '../auth/principal.ts';
import type { EffectiveForm, EffectiveForms } from '../forms/effective-forms.ts';
import { unmaskData } from '../forms/pii.ts';
import { getOrgUnit, unitInSubtree } from '../org/org-units.ts';
import { httpError, notFound } from '../server/http-error.ts';
import { nowIso } from '../store/clock.ts';
import { isUniqueViolation } from '../store/dialect.ts';
import type { Database, SubmissionTable } from '../store/schema.ts';
import { recordResponse, requestHash, storedResponse } from './idempotency.ts';
import { scopedRow } from './scope.ts';
import { type Submission, type SubmissionHooks, toSubmission } from './submission.ts';

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

/** Which status changes a plain write may make; later stages belong to the workflow. */
const ALLOWED: Record<string, readonly string[]> = {
  draft: ['draft', 'submitted'],
  submitted: ['submitted'],
};

/**
 * Creates, updates and deletes submissions: every write is re-validated with the runtime (drafts
 * may be incomplete), kept inside the caller's subtree, and written in one transaction with its
 * audit entry and the hooks' work.
 */
export class SubmissionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly forms: EffectiveForms,
    private readonly hooks: readonly SubmissionHooks[] = [],
  ) {}

  private validate(form: EffectiveForm, data: unknown, status: string, orgUnit: string) {
    const result = form.compiled.validate(data, { mode: status === 'draft' ? 'draft' : 'submit', orgUnit });
    if (!result.ok) throw httpError('NX_ERR_SUBMISSION_INVALID', result.errors);
    return result.data;
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
    const status = input.status ?? 'draft';
    const data = this.validate(form, input.data, status, orgCode);
    const now = nowIso();
    const row: SubmissionTable = {
      id: randomUUID(),
      form_id: formId,
      form_version: form.version,
      org_code: orgCode,
      org_path: org.path,
      status,
      data: JSON.stringify(data),
      version: 1,
      period: input.period ?? null,
      created_by: who.username,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    const submission = toSubmission(row);
    try {
      await this.db.transaction().execute(async (trx) => {
        const args = {
          action: 'create',
          db: trx,
          actor: who,
          form: form.definition,
          before: null,
          after: submission,
        } as const;
        for (const h of this.hooks) await h.beforeSave?.(args);
        await trx.insertInto('submissions').values(row).execute();
        await writeAudit(trx, {
          actor: who.username,
          action: 'submission.create',
          entityType: 'submission',
          entityId: row.id,
          orgPath: row.org_path,
          after: snapshot(submission),
        });
        for (const h of this.hooks) await h.afterSave?.(args);
        if (idempotencyKey) {
          await recordResponse(trx, {
            userId: who.userId,
            key: idempotencyKey,
            hash,
            statusCode: 201,
            body: submission,
          });
        }
      });
    } catch (err) {
      // A concurrent request with the same key won the race: answer with its result.
      if (idempotencyKey && isUniqueViolation(err)) {
        const prior = await storedResponse(this.db, who.userId, idempotencyKey, hash);
        if (prior) return { submission: prior.body as Submission, replayed: true };
      }
      throw err;
    }
    return { submission, replayed: false };
  }

  async get(who: Principal, id: string): Promise<Submission> {
    return toSubmission(await scopedRow(this.db, who, id));
  }

  /** Updates with optimistic concurrency: `version` must be the current one, else 409 and nothing changes. */
  async update(who: Principal, id: string, input: UpdateInput): Promise<Submission> {
    const row = await scopedRow(this.db, who, id);
    const before = toSubmission(row);
    if (before.version !== input.version) throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
    const status = input.status ?? before.status;
    if (!(ALLOWED[before.status] ?? []).includes(status))
      throw httpError('NX_ERR_SUBMISSION_STATUS_TRANSITION');
    const form = await this.forms.get(before.formId, row.org_path, before.formVersion);
    if (!form) throw notFound();
    let incoming = input.data ?? {};
    if (!canSeePii(who)) incoming = unmaskData(form.definition, incoming, before.data);
    const data = this.validate(form, { ...before.data, ...incoming }, status, before.orgUnit);
    const after: Submission = { ...before, status, data, version: before.version + 1, updatedAt: nowIso() };
    await this.db.transaction().execute(async (trx) => {
      const args = { action: 'update', db: trx, actor: who, form: form.definition, before, after } as const;
      for (const h of this.hooks) await h.beforeSave?.(args);
      const r = await trx
        .updateTable('submissions')
        .set({ status, data: JSON.stringify(data), version: after.version, updated_at: after.updatedAt })
        .where('id', '=', id)
        .where('version', '=', input.version)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      // Someone else wrote between our read and this update: refuse, the transaction rolls back.
      if (Number(r.numUpdatedRows) !== 1) throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
      await writeAudit(trx, {
        actor: who.username,
        action: 'submission.update',
        entityType: 'submission',
        entityId: id,
        orgPath: row.org_path,
        before: snapshot(before),
        after: snapshot(after),
      });
      for (const h of this.hooks) await h.afterSave?.(args);
    });
    return after;
  }

  /** Soft delete: the row stays (and its history), but no read or list finds it any more. */
  async delete(who: Principal, id: string, version?: number): Promise<void> {
    const row = await scopedRow(this.db, who, id);
    const before = toSubmission(row);
    if (version !== undefined && version !== before.version)
      throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
    const form = await this.forms.get(before.formId, row.org_path, before.formVersion);
    if (!form) throw notFound();
    await this.db.transaction().execute(async (trx) => {
      const args = {
        action: 'delete',
        db: trx,
        actor: who,
        form: form.definition,
        before,
        after: null,
      } as const;
      for (const h of this.hooks) await h.beforeSave?.(args);
      const now = nowIso();
      const r = await trx
        .updateTable('submissions')
        .set({ deleted_at: now, updated_at: now, version: before.version + 1 })
        .where('id', '=', id)
        .where('version', '=', before.version)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
      await writeAudit(trx, {
        actor: who.username,
        action: 'submission.delete',
        entityType: 'submission',
        entityId: id,
        orgPath: row.org_path,
        before: { deleted: false, version: before.version },
        after: { deleted: true, version: before.version + 1 },
      });
      for (const h of this.hooks) await h.afterSave?.(args);
    });
  }
}

/** What the audit log records of a submission: the parts a write can change. */
const snapshot = (s: Submission): Record<string, unknown> => ({
  status: s.status,
  version: s.version,
  period: s.period,
  data: s.data,
});
