import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/audit.ts';
import { nowIso } from '../store/clock.ts';
import type { Database, FormOverlayTable } from '../store/schema.ts';
import type { FormOverlay } from './overlay-schema.ts';

export interface StoredOverlay {
  id: string;
  formId: string;
  orgCode: string;
  version: number;
  status: FormOverlayTable['status'];
  overlay: FormOverlay;
  createdAt: string;
  createdBy: string | null;
}

const toStored = (r: FormOverlayTable): StoredOverlay => ({
  id: r.id,
  formId: r.form_id,
  orgCode: r.org_code,
  version: r.version,
  status: r.status,
  overlay: JSON.parse(r.overlay) as FormOverlay,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** The published overlays of a form at the given org units, in the order of `orgCodes` (top down). */
export async function publishedOverlays(
  db: Kysely<Database>,
  formId: string,
  orgCodes: readonly string[],
): Promise<StoredOverlay[]> {
  if (orgCodes.length === 0) return [];
  const rows = await db
    .selectFrom('form_overlays')
    .selectAll()
    .where('form_id', '=', formId)
    .where('status', '=', 'published')
    .where('org_code', 'in', orgCodes)
    .execute();
  return rows.map(toStored).sort((a, b) => orgCodes.indexOf(a.orgCode) - orgCodes.indexOf(b.orgCode));
}

/** Every published overlay of a form, whatever its unit, in unit-code order. */
export async function publishedOverlaysOf(db: Kysely<Database>, formId: string): Promise<StoredOverlay[]> {
  const rows = await db
    .selectFrom('form_overlays')
    .selectAll()
    .where('form_id', '=', formId)
    .where('status', '=', 'published')
    .orderBy('org_code')
    .execute();
  return rows.map(toStored);
}

/**
 * Stores a new version of the overlay of a form at an org unit; when `publish`, it replaces the
 * published one (retired, kept for history). The caller has checked it with `loadOverlay`.
 */
export async function saveOverlay(
  db: Kysely<Database>,
  args: {
    formId: string;
    orgCode: string;
    orgPath: string;
    overlay: FormOverlay;
    publish: boolean;
    actor: string | null;
  },
): Promise<StoredOverlay> {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('form_overlays')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('form_id', '=', args.formId)
      .where('org_code', '=', args.orgCode)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    if (args.publish) {
      await trx
        .updateTable('form_overlays')
        .set({ status: 'retired' })
        .where('form_id', '=', args.formId)
        .where('org_code', '=', args.orgCode)
        .where('status', '=', 'published')
        .execute();
    }
    const row: FormOverlayTable = {
      id: randomUUID(),
      form_id: args.formId,
      org_code: args.orgCode,
      version,
      status: args.publish ? 'published' : 'draft',
      overlay: JSON.stringify(args.overlay),
      created_at: nowIso(),
      created_by: args.actor,
    };
    await trx.insertInto('form_overlays').values(row).execute();
    await writeAudit(trx, {
      actor: args.actor,
      action: args.publish ? 'overlay.publish' : 'overlay.draft.create',
      entityType: 'form_overlay',
      entityId: row.id,
      orgPath: args.orgPath,
      after: { formId: args.formId, orgCode: args.orgCode, version, overlay: args.overlay },
    });
    return toStored(row);
  });
}
