import { type Kysely, sql } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { httpError } from '../errors/domain-errors.ts';
import { getOrgUnit, unitInSubtree } from '../org/org-units.ts';
import { jsonFieldText } from '../store/dialect.ts';
import type { Database } from '../store/schema.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { type Submission, toSubmission } from './submission.ts';

export interface ListFilters {
  orgUnit?: string;
  status?: string;
  period?: string;
  /** Inclusive; a bare date `YYYY-MM-DD` is read in China time (UTC+8). */
  createdFrom?: string;
  createdTo?: string;
  /** Field id → value the field must equal (as text). */
  fields?: Record<string, string>;
  limit?: number;
  cursor?: string;
}

export const MAX_FIELD_FILTERS = 5;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const fromBound = (v: string) => (DATE.test(v) ? new Date(`${v}T00:00:00+08:00`).toISOString() : v);
const toBound = (v: string) =>
  DATE.test(v) ? new Date(new Date(`${v}T00:00:00+08:00`).getTime() + 86_400_000).toISOString() : v;

/**
 * One page of a form's live submissions in the caller's subtree, oldest first, with keyset
 * pagination on (created_at, id): stable under inserts, and no OFFSET scans.
 */
export async function listSubmissions(
  db: Kysely<Database>,
  who: Principal,
  formId: string,
  f: ListFilters,
): Promise<{ items: Submission[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  let q = db
    .selectFrom('submissions')
    .selectAll()
    .where('form_id', '=', formId)
    .where('deleted_at', 'is', null)
    .where('org_path', 'like', `${who.orgPath}%`);
  if (f.orgUnit) {
    const unit = await getOrgUnit(db, f.orgUnit);
    // A unit outside the caller's subtree answers like an empty one.
    if (!unitInSubtree(unit, who.orgPath)) return { items: [], nextCursor: null };
    q = q.where('org_path', 'like', `${unit.path}%`);
  }
  if (f.status) q = q.where('status', '=', f.status);
  if (f.period) q = q.where('period', '=', f.period);
  if (f.createdFrom) q = q.where('created_at', '>=', fromBound(f.createdFrom));
  if (f.createdTo) q = q.where('created_at', DATE.test(f.createdTo) ? '<' : '<=', toBound(f.createdTo));
  for (const [field, value] of Object.entries(f.fields ?? {})) {
    q = q.where(jsonFieldText(db, sql.ref('data'), field), '=', value);
  }
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    if (!c) throw httpError('NX_ERR_HTTP_BAD_REQUEST');
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '>', c.createdAt),
        eb.and([eb('created_at', '=', c.createdAt), eb('id', '>', c.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSubmission),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}
