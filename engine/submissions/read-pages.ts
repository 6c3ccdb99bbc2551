import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * Reading stored submissions in bulk, for plugins (reports, rules over a subtree): keyset pages
 * of one form in an org subtree with the short columns, and the data column fetched only for the
 * rows that need it. Plugins read submissions through these functions, never by table name.
 */

/** One stored submission as a bulk read hands it on. */
export interface SubmissionRecord {
  readonly id: string;
  readonly formId: string;
  readonly orgCode: string;
  /** Materialised path of its org unit (`/510000/511900/511923/`). */
  readonly orgPath: string;
  readonly status: string;
  readonly period: string | null;
  /**
   * The data, parsed when first read. A record read without its data (`submissionPages` with
   * `withData` false) throws here until `loadSubmissionData` has fetched it.
   */
  readonly data: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SubmissionPageQuery {
  readonly formId: string;
  /** Materialised path of the subtree (`/510000/511900/`). */
  readonly orgPath: string;
  /** The `period` column must equal this (when the form keeps its period there). */
  readonly period?: string | undefined;
  /** Drafts are left out unless asked. */
  readonly includeDrafts?: boolean;
  /** Deleted submissions are left out unless asked (a register rebuilt from every version ever written). */
  readonly includeDeleted?: boolean;
  /** Rows per database round trip (keyset pages; default 1,000). */
  readonly pageSize?: number;
  /**
   * Asked before each page: whether to read the data column with it (default yes). Without it a
   * page holds only the short columns, and `loadSubmissionData` fetches the data of the rows that
   * need it: worth it when most rows are dropped on something else (a decision, a case state).
   */
  readonly withData?: () => boolean;
  /** Start after this row (a key a previous read ended on): a job resumes where it stopped. */
  readonly after?: { readonly orgPath: string; readonly id: string } | undefined;
}

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
 * A record as read from its row. The data text is parsed when first read, not here: a list that
 * drops most rows on their decision never parses them. One object per row (a class, not a
 * literal with a getter and closures), as a report makes a million of them.
 */
class StoredSubmission implements SubmissionRecord {
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
        throw new Error(`submission ${this.id} was read without its data: loadSubmissionData() it first`);
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

const SHORT_COLUMNS = [
  'id',
  'form_id',
  'org_code',
  'org_path',
  'status',
  'period',
  'created_at',
  'updated_at',
] as const;

/** Whether a record's data is at hand (read with it, or fetched by `loadSubmissionData` since). */
export function submissionDataLoaded(s: SubmissionRecord): boolean {
  return !(s instanceof StoredSubmission) || s.loaded;
}

/** Large `in (…)` lists are split so neither SQLite's nor PostgreSQL's parameter limit is reached. */
const CHUNK = 500;

/** Fetches the data of those of `subs` read without it, in one query per 500. */
export async function loadSubmissionData(
  db: Kysely<Database>,
  subs: readonly SubmissionRecord[],
): Promise<void> {
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

/** A submission read by id: a bulk record with what its history needs (version, deletion). */
export interface SubmissionDetail extends SubmissionRecord {
  readonly formVersion: number;
  /** The compare-and-set counter, 1 when created. */
  readonly version: number;
  readonly createdBy: string | null;
  /** Set when it was (softly) deleted. */
  readonly deletedAt: string | null;
}

interface DetailRow extends SubmissionRow {
  form_version: number;
  version: number;
  created_by: string | null;
  deleted_at: string | null;
}

class StoredSubmissionDetail extends StoredSubmission implements SubmissionDetail {
  readonly formVersion: number;
  readonly version: number;
  readonly createdBy: string | null;
  readonly deletedAt: string | null;

  constructor(r: DetailRow, text: string | undefined) {
    super(r, text);
    this.formVersion = Number(r.form_version);
    this.version = Number(r.version);
    this.createdBy = r.created_by;
    this.deletedAt = r.deleted_at;
  }

  override toJSON(): Record<string, unknown> {
    const { formVersion, version, createdBy, deletedAt } = this;
    return { ...super.toJSON(), formVersion, version, createdBy, deletedAt };
  }
}

export interface ReadSubmissionsOptions {
  /** Only those in this subtree (a read that serves a user); absent, any unit (the caller checked scope). */
  readonly orgPath?: string | undefined;
  /** Read the data column too (default yes); without it, `loadSubmissionData` fetches it later. */
  readonly withData?: boolean;
}

/**
 * Submissions by id, deleted ones included (see `deletedAt`), ordered by creation time then id;
 * ids not found (or outside `orgPath`) are absent. One query per 500 ids.
 *
 * @example const [s] = await readSubmissions(db, [id], { withData: false }); s?.version
 */
export async function readSubmissions(
  db: Kysely<Database>,
  ids: readonly string[],
  opts: ReadSubmissionsOptions = {},
): Promise<SubmissionDetail[]> {
  const withData = opts.withData ?? true;
  const out: StoredSubmissionDetail[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom('submissions')
      .select([...SHORT_COLUMNS, 'form_version', 'version', 'created_by', 'deleted_at'])
      .$if(withData, (qb) => qb.select('data'))
      .where('id', 'in', unique.slice(i, i + CHUNK))
      .$if(opts.orgPath !== undefined, (qb) => qb.where('org_path', 'like', `${opts.orgPath}%`))
      .execute();
    for (const r of rows) out.push(new StoredSubmissionDetail(r, (r as { data?: string }).data));
  }
  return out.sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/** One live submission with its data, if it lies in the subtree `orgPath` (else undefined, like absent). */
export async function readSubmissionRecord(
  db: Kysely<Database>,
  id: string,
  orgPath: string,
): Promise<SubmissionRecord | undefined> {
  const r = await db
    .selectFrom('submissions')
    .select([...SHORT_COLUMNS, 'data'])
    .where('id', '=', id)
    .where('org_path', 'like', `${orgPath}%`)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r ? new StoredSubmission(r, r.data) : undefined;
}

/**
 * Live submissions of one form in a subtree, in org-tree order (org path, then id), read page by
 * page with a keyset (no OFFSET): memory stays flat and each page is one indexed range scan
 * however deep into a million rows it is.
 */
export async function* submissionPages(
  db: Kysely<Database>,
  q: SubmissionPageQuery,
): AsyncGenerator<SubmissionRecord[]> {
  const size = q.pageSize ?? 1000;
  let after: { path: string; id: string } | undefined = q.after
    ? { path: q.after.orgPath, id: q.after.id }
    : undefined;
  for (;;) {
    const withData = q.withData?.() ?? true;
    let sel = db
      .selectFrom('submissions')
      .select(SHORT_COLUMNS)
      .$if(withData, (qb) => qb.select('data'))
      .where('form_id', '=', q.formId)
      .where('org_path', 'like', `${q.orgPath}%`)
      .$if(!q.includeDeleted, (qb) => qb.where('deleted_at', 'is', null));
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
