import type { Kysely } from 'kysely';
import { type Database, hasTable } from '../../../engine/entry/server.ts';

/**
 * The register record each survey entered (`register_versions`, when the registers plugin is
 * there), so a page links an item or a re-visit to the household and to a follow-up survey
 * prefilled from the record. One indexed query per 500 surveys; none without the table.
 */
export async function recordIdsOf(
  db: Kysely<Database>,
  register: string,
  submissionIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(submissionIds)];
  if (ids.length === 0 || !(await hasTable(db, 'register_versions'))) return out;
  const vdb = db.withTables<{
    register_versions: { register_id: string; record_id: string; submission_id: string | null };
  }>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await vdb
      .selectFrom('register_versions')
      .select(['record_id', 'submission_id'])
      .where('register_id', '=', register)
      .where('submission_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.submission_id) out.set(r.submission_id, r.record_id);
  }
  return out;
}

/** Items with `recordId` (null when the survey entered no record of the register). */
export async function withRecordIds<T extends { readonly submissionId: string }>(
  db: Kysely<Database>,
  register: string,
  items: readonly T[],
): Promise<(T & { recordId: string | null })[]> {
  const ids = await recordIdsOf(
    db,
    register,
    items.map((i) => i.submissionId),
  );
  return items.map((i) => ({ ...i, recordId: ids.get(i.submissionId) ?? null }));
}
