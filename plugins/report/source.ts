import type { Kysely } from 'kysely';
import type { Database } from '../../engine/index.ts';

/** One stored submission as reports read it. */
export interface SourceSubmission {
  readonly id: string;
  readonly formId: string;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly status: string;
  readonly period: string | null;
  readonly data: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SourceQuery {
  readonly formId: string;
  /** Materialised path of the subtree (`/510000/511900/`). */
  readonly orgPath: string;
  /** The `period` column must equal this (when the form keeps its period there). */
  readonly period?: string | undefined;
  /** Drafts are not reported unless asked. */
  readonly includeDrafts?: boolean;
  /** Rows per database round trip (keyset pages). */
  readonly pageSize?: number;
}

/** A stored submission row as the report source hands it on (data parsed). */
export function sourceSubmission(r: {
  id: string;
  form_id: string;
  org_code: string;
  org_path: string;
  status: string;
  period: string | null;
  data: string;
  created_at: string;
  updated_at: string;
}): SourceSubmission {
  return {
    id: r.id,
    formId: r.form_id,
    orgCode: r.org_code,
    orgPath: r.org_path,
    status: r.status,
    period: r.period,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Submissions of one form in a subtree, in org-tree order (org path, then id), read page by page
 * with a keyset (no OFFSET): memory stays flat and each page is one indexed range scan however
 * deep into a million rows it is.
 */
export async function* iterateSubmissions(
  db: Kysely<Database>,
  q: SourceQuery,
): AsyncGenerator<SourceSubmission> {
  const size = q.pageSize ?? 1000;
  let after: { path: string; id: string } | undefined;
  for (;;) {
    let sel = db
      .selectFrom('submissions')
      .select([
        'id',
        'form_id',
        'org_code',
        'org_path',
        'status',
        'period',
        'data',
        'created_at',
        'updated_at',
      ])
      .where('form_id', '=', q.formId)
      .where('org_path', 'like', `${q.orgPath}%`)
      .where('deleted_at', 'is', null);
    if (!q.includeDrafts) sel = sel.where('status', '!=', 'draft');
    if (q.period !== undefined) sel = sel.where('period', '=', q.period);
    if (after) {
      const a = after;
      // A row value, not `path > a OR (path = a AND id > b)`: SQLite plans the OR as two index
      // searches merged and sorted, reading every remaining row of the subtree for each page
      // (quadratic); the row value is one range scan of (form_id, org_path, id) that stops at
      // the page's LIMIT. PostgreSQL reads it as one index range as well.
      sel = sel.where((eb) => eb(eb.refTuple('org_path', 'id'), '>', eb.tuple(a.path, a.id)));
    }
    const page = await sel.orderBy('org_path').orderBy('id').limit(size).execute();
    for (const r of page) {
      yield sourceSubmission(r);
    }
    const last = page.at(-1);
    if (!last || page.length < size) return;
    after = { path: last.org_path, id: last.id };
  }
}

/** Groups an ordered stream into pages (to look decisions up for many submissions at once). */
export async function* pages<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let page: T[] = [];
  for await (const item of items) {
    page.push(item);
    if (page.length >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
