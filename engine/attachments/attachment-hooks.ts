import type { Kysely } from 'kysely';
import { attachmentError } from '../errors/codes-attachment.ts';
import type { ErrorDetail } from '../errors/nx-error.ts';
import type { Database } from '../store/schema.ts';
import type { SubmissionHookArgs, SubmissionHooks } from '../submissions/submission.ts';
import { type FormRef, formRefs } from './form-refs.ts';

/**
 * The save pipeline's participant for attachments. Before the row is written, every reference
 * must name a stored content with the same type and size, which the actor uploaded, which this
 * submission already referenced, or which a submission in the actor's subtree references (so a
 * reference copied from elsewhere cannot open someone else's file). With the row, the
 * submission's references are written again (`attachment_refs`), for scope, masking and retention.
 */
export function attachmentHooks(): SubmissionHooks {
  return {
    name: 'attachments',
    async beforeSave(ctx) {
      if (!ctx.after) return;
      const refs = formRefs(ctx.form, ctx.after.data);
      if (refs.length === 0) return;
      const faults = await refusedRefs(ctx, refs);
      if (faults.length > 0) throw attachmentError('NX_ERR_ATTACHMENT_UNKNOWN', faults);
    },
    async persist(ctx) {
      if (!ctx.saves || !ctx.after) return; // a delete keeps its references: the files stay with the record
      const refs = formRefs(ctx.form, ctx.after.data);
      const id = ctx.after.id;
      if (ctx.action === 'update')
        await ctx.db.deleteFrom('attachment_refs').where('submission_id', '=', id).execute();
      if (refs.length === 0) return;
      const seen = new Set<string>();
      const rows = [];
      for (const r of refs) {
        const key = `${r.field} ${r.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({ submission_id: id, field: r.field, attachment_id: r.id, pii: r.pii ? 1 : 0 });
      }
      await ctx.db.insertInto('attachment_refs').values(rows).execute();
    },
  };
}

async function refusedRefs(ctx: SubmissionHookArgs, refs: readonly FormRef[]): Promise<ErrorDetail[]> {
  const db = ctx.db;
  const ids = [...new Set(refs.map((r) => r.id))];
  const stored = new Map(
    (await db.selectFrom('attachments').select(['id', 'type', 'size']).where('id', 'in', ids).execute()).map(
      (r) => [r.id, r],
    ),
  );
  const mayUse = await usable(db, ctx, ids);
  const out: ErrorDetail[] = [];
  for (const r of refs) {
    const s = stored.get(r.id);
    const ok = s !== undefined && s.type === r.type && Number(s.size) === r.size && mayUse.has(r.id);
    if (ok) continue;
    out.push({
      path: r.field,
      code: 'NX_ERR_ATTACHMENT_UNKNOWN',
      message: {
        'zh-CN':
          s === undefined || !mayUse.has(r.id)
            ? '找不到这个附件，请重新上传'
            : '附件的类型或大小与上传时不符',
        en:
          s === undefined || !mayUse.has(r.id)
            ? 'No such attachment; upload it again'
            : 'The attachment’s type or size differs from the upload',
      },
      hint: {
        'zh-CN': '先 POST /api/attachments 上传文件，再把返回的引用原样填入',
        en: 'Upload with POST /api/attachments and use the reference it returns as it is',
      },
    });
  }
  return out;
}

/** The ids among `ids` the actor may attach. */
async function usable(
  db: Kysely<Database>,
  ctx: SubmissionHookArgs,
  ids: readonly string[],
): Promise<Set<string>> {
  const ok = new Set<string>();
  if (ctx.before) for (const r of formRefs(ctx.form, ctx.before.data)) ok.add(r.id);
  const own = await db
    .selectFrom('attachment_uploads')
    .select('attachment_id')
    .where('attachment_id', 'in', ids)
    .where('username', '=', ctx.actor.username)
    .execute();
  for (const r of own) ok.add(r.attachment_id);
  const rest = ids.filter((id) => !ok.has(id));
  if (rest.length === 0) return ok;
  const scoped = await db
    .selectFrom('attachment_refs as r')
    .innerJoin('submissions as s', 's.id', 'r.submission_id')
    .select('r.attachment_id')
    .where('r.attachment_id', 'in', rest)
    .where('s.deleted_at', 'is', null)
    .where('s.org_path', 'like', `${ctx.actor.orgPath}%`)
    .execute();
  for (const r of scoped) ok.add(r.attachment_id);
  return ok;
}
