import type { Kysely } from 'kysely';
import type { AuditStamp, NewAuditEntry } from '../audit/audit.ts';
import { writeAuditEntries } from '../audit/audit.ts';
import { submissionCreatedEntry, submissionUpdatedEntry } from '../audit/submission-audit.ts';
import type { FormDefinition } from '../definition/form-schema.ts';
import { httpError } from '../errors/domain-errors.ts';
import { NxError } from '../errors/nx-error.ts';
import type { Database, SubmissionTable } from '../store/schema.ts';
import { wfError } from '../workflow-store/errors.ts';
import type {
  SaveActor,
  SaveTransition,
  Submission,
  SubmissionHookArgs,
  SubmissionHooks,
} from './submission.ts';

/**
 * The stages of every submission save, in the order they run. Each stage runs for every item of
 * a save before the next stage starts; nothing is written before `persist`, so a refusal in
 * `authorize`, `validate` or `beforeHooks` writes nothing.
 */
export const SAVE_STAGES = [
  'authorize',
  'validate',
  'beforeHooks',
  'persist',
  'audit',
  'afterHooks',
] as const;
export type SaveStage = (typeof SAVE_STAGES)[number];

/** One save in flight: what participants see (`SubmissionHookArgs`), writable by the pipeline. */
export interface SaveContext extends SubmissionHookArgs {
  after: Submission | null;
  saves: boolean;
  transition: SaveTransition | undefined;
  /** The stored row of `after`, made at the persist stage (its data serialised once). */
  row: SubmissionTable | null;
  entry: SubmissionHookArgs['entry'];
}

/** Starts a save's context. */
export function saveContext(a: {
  action: SaveContext['action'];
  db: Kysely<Database>;
  actor: SaveActor;
  form: FormDefinition;
  before: Submission | null;
  after: Submission | null;
  orgPath: string;
  now: string;
  requested?: SaveContext['requested'];
}): SaveContext {
  return {
    ...a,
    requested: a.requested,
    saves: true,
    transition: undefined,
    audit: [],
    row: null,
    entry: undefined,
  };
}

/** How the persist and audit stages write: row by row (HTTP) or in multi-row statements (import). */
export interface SaveWriter {
  insertSubmissions(trx: Kysely<Database>, rows: readonly SubmissionTable[]): Promise<void>;
  /** May say where each entry stands in the log (in the order given): each save then knows its own entry. */
  insertAudit(
    trx: Kysely<Database>,
    entries: readonly NewAuditEntry[],
  ): Promise<readonly AuditStamp[] | undefined>;
}

export const kyselyWriter: SaveWriter = {
  async insertSubmissions(trx, rows) {
    if (rows.length > 0) await trx.insertInto('submissions').values(rows).execute();
  },
  insertAudit: (trx, entries) => writeAuditEntries(trx, entries),
};

export interface RunSavesOptions {
  /** The validate stage: the stored data of `ctx.after` (throw to refuse); none when the data is validated already. */
  readonly validate?: (ctx: SaveContext) => Record<string, unknown>;
  /** A batch goes on without an item refused with an NxError (reported here); otherwise the refusal throws. */
  readonly onRefused?: (ctx: SaveContext, err: NxError) => void;
  readonly writer?: SaveWriter;
}

/** The stored row of a submission. */
export const toRow = (s: Submission, orgPath: string, deletedAt: string | null = null): SubmissionTable => ({
  id: s.id,
  form_id: s.formId,
  form_version: s.formVersion,
  org_code: s.orgUnit,
  org_path: orgPath,
  status: s.status,
  data: JSON.stringify(s.data),
  version: s.version,
  period: s.period,
  created_by: s.createdBy,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  deleted_at: deletedAt,
});

const withTransition = (ctx: SaveContext) => ctx as SaveContext & { readonly transition: SaveTransition };

/**
 * Runs the stages of `SAVE_STAGES` for `items` inside the caller's transaction `trx` and returns
 * the items saved. The data of each item is parsed once (in `after`) and serialised once (its
 * row); every row is written with compare-and-set on the version read in this transaction.
 */
export async function runSaves(
  hooks: readonly SubmissionHooks[],
  items: readonly SaveContext[],
  opts: RunSavesOptions = {},
): Promise<SaveContext[]> {
  const writer = opts.writer ?? kyselyWriter;
  const ok: SaveContext[] = [];
  if (items.length === 0) return ok;
  // Every item of a batch is saved in the same transaction.
  const trx = (items[0] as SaveContext).db;
  for (const ctx of items) {
    try {
      // authorize
      for (const h of hooks) {
        const r = await h.authorize?.(ctx);
        if (r?.transition) ctx.transition = r.transition;
        if (r?.status && ctx.after && r.status !== ctx.after.status)
          ctx.after = { ...ctx.after, status: r.status };
      }
      ctx.saves =
        ctx.action !== 'update' ||
        ctx.requested === undefined ||
        (ctx.after !== null && ctx.before !== null && ctx.after.status !== ctx.before.status);
      // validate
      if (ctx.saves && ctx.after && opts.validate) ctx.after = { ...ctx.after, data: opts.validate(ctx) };
      // beforeHooks
      if (ctx.saves) for (const h of hooks) await h.beforeSave?.(ctx);
      if (ctx.transition) {
        const errors = [];
        for (const h of hooks) errors.push(...((await h.beforeTransition?.(withTransition(ctx))) ?? []));
        if (errors.length > 0) throw wfError('NX_ERR_WF_TRANSITION_VETOED', errors);
      }
      ok.push(ctx);
    } catch (err) {
      if (!opts.onRefused || !(err instanceof NxError)) throw err;
      opts.onRefused(ctx, err);
    }
  }
  // persist
  const created: SubmissionTable[] = [];
  for (const ctx of ok) {
    if (!ctx.saves) continue;
    if (ctx.action === 'create' && ctx.after) {
      // A row made by the caller (import: the validated JSON as read) keeps its data text.
      ctx.row = ctx.row ? { ...ctx.row, status: ctx.after.status } : toRow(ctx.after, ctx.orgPath);
      created.push(ctx.row);
    } else await updateRow(ctx);
  }
  await writer.insertSubmissions(trx, created);
  for (const ctx of ok) for (const h of hooks) await h.persist?.(ctx);
  // audit
  const entries: NewAuditEntry[] = [];
  const owners: (SaveContext | undefined)[] = [];
  for (const ctx of ok) {
    const own = ctx.saves ? auditEntry(ctx) : undefined;
    if (own) {
      entries.push(own);
      owners.push(ctx);
    }
    entries.push(...ctx.audit);
    owners.push(...ctx.audit.map(() => undefined));
  }
  const stamps = await writer.insertAudit(trx, entries);
  if (stamps && stamps.length === entries.length) {
    for (const [i, ctx] of owners.entries()) {
      const stamp = stamps[i];
      if (ctx && stamp) ctx.entry = { id: stamp.id, at: stamp.at, actor: ctx.actor.username };
    }
  }
  // afterHooks
  for (const ctx of ok) {
    if (ctx.saves) for (const h of hooks) await h.afterSave?.(ctx);
    if (ctx.transition) for (const h of hooks) await h.afterTransition?.(withTransition(ctx));
  }
  return ok;
}

/** Compare-and-set: the row changes only if it still has the version this transaction read. */
async function updateRow(ctx: SaveContext): Promise<void> {
  const before = ctx.before as Submission;
  const q = ctx.db
    .updateTable('submissions')
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .where('deleted_at', 'is', null);
  const r = ctx.after
    ? await q
        .set({
          status: ctx.after.status,
          data: JSON.stringify(ctx.after.data),
          version: ctx.after.version,
          updated_at: ctx.after.updatedAt,
        })
        .executeTakeFirst()
    : await q
        .set({ deleted_at: ctx.now, updated_at: ctx.now, version: before.version + 1 })
        .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw httpError('NX_ERR_SUBMISSION_VERSION_CONFLICT');
}

/** The save's own audit entry (one formatter for every writer). */
function auditEntry(ctx: SaveContext): NewAuditEntry | undefined {
  const who = ctx.actor.username;
  if (ctx.action === 'create') return ctx.row ? submissionCreatedEntry(who, ctx.row, ctx.now) : undefined;
  const before = ctx.before as Submission;
  if (ctx.action === 'delete')
    return {
      at: ctx.now,
      actor: who,
      action: 'submission.delete',
      entityType: 'submission',
      entityId: before.id,
      orgPath: ctx.orgPath,
      before: { deleted: false, version: before.version },
      after: { deleted: true, version: before.version + 1 },
    };
  return ctx.after
    ? submissionUpdatedEntry(who, ctx.orgPath, before.id, before, ctx.after, ctx.now)
    : undefined;
}
