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
  /**
   * The submission's data, parsed when first read. A submission read without its data
   * (`submissionPages` with `withData` false) throws here until `loadData` has fetched it.
   */
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
  /**
   * Asked before each page: whether to read the data column with it (default yes). Without it,
   * a page reads only the short columns, and `loadData` fetches the data of the rows that need
   * it: worth it when most rows are dropped on their decision or workflow state alone.
   */
  readonly withData?: () => boolean;
}

/** The columns of a stored submission a report reads. */
interface SubmissionRow {
  id: string;
  form_id: string;
  org_code: string;
  org_path: string;
  status: string;
  period: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A submission as read from its row. The data text is parsed when first read, not here: a list
 * report whose filter reads only the decision (the 附件3 roster drops most households) never
 * parses the rows it leaves out. One object per row (a class, not a literal with a getter and
 * closures), as a report makes a million of them.
 */
class StoredSubmission implements SourceSubmission {
  readonly id: string;
  readonly formId: string;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly status: string;
  readonly period: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The data text not parsed yet; undefined once parsed, or while not fetched (`loaded` false). */
  raw: string | undefined;
  loaded: boolean;
  private parsed: Record<string, unknown> | undefined;

  constructor(r: SubmissionRow, text: string | undefined) {
    this.id = r.id;
    this.formId = r.form_id;
    this.orgCode = r.org_code;
    this.orgPath = r.org_path;
    this.status = r.status;
    this.period = r.period;
    this.createdAt = r.created_at;
    this.updatedAt = r.updated_at;
    this.raw = text;
    this.loaded = text !== undefined;
  }

  get data(): Record<string, unknown> {
    if (this.parsed === undefined) {
      if (!this.loaded)
        throw new Error(`submission ${this.id} was read without its data: loadData() it first`);
      this.parsed = JSON.parse(this.raw as string) as Record<string, unknown>;
      this.raw = undefined;
    }
    return this.parsed;
  }

  /** A plain object, data included (the getter is on the prototype, which JSON would skip). */
  toJSON(): Record<string, unknown> {
    const { id, formId, orgCode, orgPath, status, period, data, createdAt, updatedAt } = this;
    return { id, formId, orgCode, orgPath, status, period, data, createdAt, updatedAt };
  }
}

/** A stored submission row as the report source hands it on. */
export function sourceSubmission(r: SubmissionRow & { data: string }): SourceSubmission {
  return new StoredSubmission(r, r.data);
}

/** Whether a submission's data is at hand (read with it, or fetched by `loadData` since). */
export function dataLoaded(s: SourceSubmission): boolean {
  return !(s instanceof StoredSubmission) || s.loaded;
}

/** Large `in (…)` lists are split so neither SQLite's nor PostgreSQL's parameter limit is reached. */
const CHUNK = 500;

/** Fetches the data of those of `subs` read without it, in one query per 500. */
export async function loadData(db: Kysely<Database>, subs: readonly SourceSubmission[]): Promise<void> {
  const todo = subs.filter((s): s is StoredSubmission => s instanceof StoredSubmission && !s.loaded);
  for (let i = 0; i < todo.length; i += CHUNK) {
    const chunk = todo.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('submissions')
      .select(['id', 'data'])
      .where(
        'id',
        'in',
        chunk.map((s) => s.id),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r.data]));
    for (const s of chunk) {
      // Submissions are only ever soft-deleted, so the row is still there; '{}' is for safety.
      s.raw = byId.get(s.id) ?? '{}';
      s.loaded = true;
    }
  }
}

/**
 * Submissions of one form in a subtree, in org-tree order (org path, then id), read page by page
 * with a keyset (no OFFSET): memory stays flat and each page is one indexed range scan however
 * deep into a million rows it is. Each page comes as one array (to look its decisions up at once).
 */
export async function* submissionPages(
  db: Kysely<Database>,
  q: SourceQuery,
): AsyncGenerator<SourceSubmission[]> {
  const size = q.pageSize ?? 1000;
  let after: { path: string; id: string } | undefined;
  for (;;) {
    const withData = q.withData?.() ?? true;
    let sel = db
      .selectFrom('submissions')
      .select(['id', 'form_id', 'org_code', 'org_path', 'status', 'period', 'created_at', 'updated_at'])
      .$if(withData, (qb) => qb.select('data'))
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
    const rows = await sel.orderBy('org_path').orderBy('id').limit(size).execute();
    if (rows.length > 0) yield rows.map((r) => new StoredSubmission(r, r.data));
    const last = rows.at(-1);
    if (!last || rows.length < size) return;
    after = { path: last.org_path, id: last.id };
  }
}

/** The same submissions one by one. */
export async function* iterateSubmissions(
  db: Kysely<Database>,
  q: SourceQuery,
): AsyncGenerator<SourceSubmission> {
  for await (const page of submissionPages(db, q)) yield* page;
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
