import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/audit.ts';
import type { FormDefinition } from '../definition/form-schema.ts';
import { nowIso } from '../store/clock.ts';
import type { Database, FormTable } from '../store/schema.ts';

export type FormStatus = FormTable['status'];

export interface StoredForm {
  id: string;
  version: number;
  status: FormStatus;
  definition: FormDefinition;
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
}

const toStored = (r: FormTable): StoredForm => ({
  id: r.id,
  version: r.version,
  status: r.status,
  definition: JSON.parse(r.definition) as FormDefinition,
  createdAt: r.created_at,
  createdBy: r.created_by,
  publishedAt: r.published_at,
});

/** One version of a form, or the published one when `version` is omitted. */
export async function getForm(
  db: Kysely<Database>,
  id: string,
  version?: number,
): Promise<StoredForm | undefined> {
  let q = db.selectFrom('forms').selectAll().where('id', '=', id);
  q = version === undefined ? q.where('status', '=', 'published') : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** Every version of a form, newest first. */
export async function formVersions(db: Kysely<Database>, id: string): Promise<StoredForm[]> {
  const rows = await db
    .selectFrom('forms')
    .selectAll()
    .where('id', '=', id)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toStored);
}

/** The newest version of each form (draft or not), with the version that is published. */
export async function listForms(
  db: Kysely<Database>,
): Promise<{ latest: StoredForm; publishedVersion: number | null }[]> {
  const rows = await db.selectFrom('forms').selectAll().orderBy('id').orderBy('version', 'desc').execute();
  const out = new Map<string, { latest: StoredForm; publishedVersion: number | null }>();
  for (const r of rows) {
    const entry = out.get(r.id) ?? { latest: toStored(r), publishedVersion: null };
    if (r.status === 'published') entry.publishedVersion = r.version;
    out.set(r.id, entry);
  }
  return [...out.values()];
}

/**
 * Saves a definition as the form's draft: the open draft is replaced in place; when the newest
 * version is published (or retired) a new version is started, so published versions never change.
 * The caller has checked the definition with `loadForm`.
 */
export async function saveDraft(
  db: Kysely<Database>,
  def: FormDefinition,
  actor: string | null,
): Promise<StoredForm> {
  return db.transaction().execute(async (trx) => {
    const latest = await trx
      .selectFrom('forms')
      .selectAll()
      .where('id', '=', def.id)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const now = nowIso();
    if (latest?.status === 'draft') {
      const definition = { ...def, version: latest.version };
      await trx
        .updateTable('forms')
        .set({ definition: JSON.stringify(definition) })
        .where('id', '=', def.id)
        .where('version', '=', latest.version)
        .execute();
      await writeAudit(trx, {
        actor,
        action: 'form.draft.update',
        entityType: 'form',
        entityId: `${def.id}@${latest.version}`,
        before: { definition: JSON.parse(latest.definition) },
        after: { definition },
      });
      return { ...toStored(latest), definition };
    }
    const version = (latest?.version ?? 0) + 1;
    const definition = { ...def, version };
    const row: FormTable = {
      id: def.id,
      version,
      status: 'draft',
      definition: JSON.stringify(definition),
      created_at: now,
      created_by: actor,
      published_at: null,
    };
    await trx.insertInto('forms').values(row).execute();
    await writeAudit(trx, {
      actor,
      action: 'form.draft.create',
      entityType: 'form',
      entityId: `${def.id}@${version}`,
      after: { definition },
    });
    return toStored(row);
  });
}

/** Publishes the open draft; the previously published version is retired. Undefined when there is no draft. */
export async function publishDraft(
  db: Kysely<Database>,
  id: string,
  actor: string | null,
): Promise<StoredForm | undefined> {
  return db.transaction().execute(async (trx) => {
    const draft = await trx
      .selectFrom('forms')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .orderBy('version', 'desc')
      .executeTakeFirst();
    if (!draft) return undefined;
    const now = nowIso();
    await trx
      .updateTable('forms')
      .set({ status: 'retired' })
      .where('id', '=', id)
      .where('status', '=', 'published')
      .execute();
    await trx
      .updateTable('forms')
      .set({ status: 'published', published_at: now })
      .where('id', '=', id)
      .where('version', '=', draft.version)
      .execute();
    await writeAudit(trx, {
      actor,
      action: 'form.publish',
      entityType: 'form',
      entityId: `${id}@${draft.version}`,
      before: { status: 'draft' },
      after: { status: 'published' },
    });
    return { ...toStored(draft), status: 'published', publishedAt: now };
  });
}
