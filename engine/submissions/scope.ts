import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { notFound } from '../errors/domain-errors.ts';
import { dialectOf } from '../store/dialect.ts';
import type { Database, SubmissionTable } from '../store/schema.ts';

/**
 * The row of a live submission inside the caller's subtree (`lock`: for the write transaction
 * that reads it). Anything else — missing, deleted or
 * outside the subtree — is the same 404, so nobody learns what exists elsewhere.
 */
export async function scopedRow(
  db: Kysely<Database>,
  who: Principal,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<SubmissionTable> {
  let q = db
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('org_path', 'like', `${who.orgPath}%`);
  // In a write transaction on PostgreSQL, the row is locked as it is read: a concurrent action on
  // the case waits and then decides on what that one stored (SQLite's write transaction is
  // exclusive already). Without it, an action could decide the submission's status on a row
  // another action was changing, while its case write compared the newer case version.
  if (opts.lock && dialectOf(db) === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound();
  return row;
}
