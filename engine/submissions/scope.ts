import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { notFound } from '../errors/domain-errors.ts';
import type { Database, SubmissionTable } from '../store/schema.ts';

/**
 * The row of a live submission inside the caller's subtree. Anything else — missing, deleted or
 * outside the subtree — is the same 404, so nobody learns what exists elsewhere.
 */
export async function scopedRow(db: Kysely<Database>, who: Principal, id: string): Promise<SubmissionTable> {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('org_path', 'like', `${who.orgPath}%`)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}
