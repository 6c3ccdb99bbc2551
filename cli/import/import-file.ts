import { statSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { auditRow } from '../../engine/audit/audit.ts';
import type { NxError } from '../../engine/errors/nx-error.ts';
import { EffectiveForms } from '../../engine/forms/effective-forms.ts';
import { getOrgUnit } from '../../engine/org/org-units.ts';
import { httpError } from '../../engine/server/http-error.ts';
import { type Clock, systemClock } from '../../engine/store/clock.ts';
import { dialectOf, isUniqueViolation } from '../../engine/store/dialect.ts';
import type { Database, SubmissionTable } from '../../engine/store/schema.ts';
import { writeTransaction, yieldToEventLoop } from '../../engine/store/write-transaction.ts';
import {
  runSaves,
  type SaveContext,
  type SaveWriter,
  saveContext,
} from '../../engine/submissions/pipeline.ts';
import type { SaveActor, Submission, SubmissionHooks } from '../../engine/submissions/submission.ts';
import { workflowSubmissionHooks } from '../../engine/workflow-store/hooks.ts';
import type { WorkflowService } from '../../engine/workflow-store/service.ts';
import { BulkSql } from './bulk-sql.ts';
import type { RowError } from './error-report.ts';
import { type RowBatch, type ValidRow, validatedRows } from './validated-rows.ts';
import { workerBatches } from './worker-batches.ts';

export interface ImportOptions {
  db: Kysely<Database>;
  formId: string;
  file: string;
  orgCode: string;
  /** Who the rows and audit entries are recorded as (default `import`). */
  actor?: string;
  status?: 'draft' | 'submitted';
  /** Date submissions are judged on (ages, date limits); defaults to today. */
  today?: string;
  /**
   * Rows per transaction (default 20,000, at most MAX_BATCH): fewer, larger transactions write the
   * indexes' pages fewer times. Each transaction takes the write lock up front (`BEGIN
   * IMMEDIATE` on SQLite, retried with back-off while a server holds it), and the event loop gets
   * a turn between transactions.
   */
  batchSize?: number;
  /** The plugins' participants in every save (the same as the server's). */
  hooks?: readonly SubmissionHooks[];
  /**
   * Workflows: with them each stored row starts its case (and a `submitted` row takes the
   * `submit` action as the importing actor, refused rows reported like invalid ones), exactly as
   * a save over HTTP; without them no case is started.
   */
  workflows?: WorkflowService;
  /** The clock of the saves (the system clock by default). */
  clock?: Clock;
  compile?: ConstructorParameters<typeof EffectiveForms>[1];
  /**
   * The plugin configuration `compile` came from: the validation thread loads it to compile the
   * form the same way. Without it, a caller-supplied `compile` keeps validation in this thread.
   */
  pluginConfig?: string;
  /**
   * Validate in a second thread while this one stores (default: for files of 16 MiB and more,
   * when the form can be compiled there). The results are the same either way.
   */
  thread?: boolean;
  /** Called with (bytes read, total bytes) after each batch. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  rows: number;
  imported: number;
  /** Rows whose submission already exists (an earlier run of the same rows). */
  skipped: number;
  rejected: number;
  errors: RowError[];
}

/** The columns of a stored submission, in the order of the multi-row insert. */
const SUBMISSION_COLUMNS = [
  'id',
  'form_id',
  'form_version',
  'org_code',
  'org_path',
  'status',
  'data',
  'version',
  'period',
  'created_by',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;
const AUDIT_COLUMNS = ['at', 'actor', 'action', 'entity_type', 'entity_id', 'org_path', 'diff'] as const;
/**
 * Rows per statement: at 13 parameters a row, 6,500 bound parameters, under every dialect's limit
 * (SQLite's 32,766, PostgreSQL's 65,535); the id look-ups go in chunks of the same size, so a
 * transaction of any size stays within them.
 */
export const ROWS_PER_STATEMENT = 500;
/**
 * Rows per transaction. Submission ids are hashes, so each row lands on a different page of
 * each id index; a transaction of many rows writes each such page once for many of them
 * (20,000 rather than 1,000 almost halved SQLite's share at 200,000 rows).
 */
const DEFAULT_BATCH = 20_000;
/** The largest `--batch`: a transaction holds the write lock, and a server on the same file waits for it. */
export const MAX_BATCH = 100_000;
/** Rows per batch handed from the reader to the writer. */
const CHUNK = 1000;
/** From this size on, a file is validated in a second thread unless told otherwise. */
const THREAD_FROM_BYTES = 16 << 20;

/** The pipeline's writer for a batch: multi-row statements compiled once per shape. */
function bulkWriter(bulk: BulkSql): SaveWriter {
  return {
    async insertSubmissions(trx, rows) {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const part = rows.slice(i, i + ROWS_PER_STATEMENT);
        await bulk.insert(
          trx,
          'submissions',
          SUBMISSION_COLUMNS,
          part.map((row) => SUBMISSION_COLUMNS.map((c) => row[c])),
        );
      }
    },
    async insertAudit(trx, entries) {
      for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
        const part = entries.slice(i, i + ROWS_PER_STATEMENT).map((e) => auditRow(e));
        await bulk.insert(
          trx,
          'audit_log',
          AUDIT_COLUMNS,
          part.map((r) => AUDIT_COLUMNS.map((c) => r[c])),
        );
      }
      // The bulk insert does not say where its rows stand (a participant reads the log instead).
      return undefined;
    },
  };
}

/** A submission whose data is parsed from its stored JSON only when a participant reads it. */
function lazySubmission(row: SubmissionTable): Submission {
  let data: Record<string, unknown> | undefined;
  return {
    id: row.id,
    formId: row.form_id,
    formVersion: row.form_version,
    orgUnit: row.org_code,
    status: row.status,
    period: row.period,
    get data() {
      data ??= JSON.parse(row.data) as Record<string, unknown>;
      return data;
    },
    version: row.version,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * While a bulk import runs on SQLite: a larger page cache (the indexes of random-looking ids are
 * touched all over) and fewer, larger WAL checkpoints. Returns what puts the settings back.
 */
async function bulkSettings(db: Kysely<Database>): Promise<() => Promise<void>> {
  if (dialectOf(db) !== 'sqlite') return async () => {};
  const read = async (name: string) =>
    Number(Object.values((await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0] as object)[0]);
  const cache = await read('cache_size');
  const checkpoint = await read('wal_autocheckpoint');
  await sql.raw('PRAGMA cache_size = -262144').execute(db);
  await sql.raw('PRAGMA wal_autocheckpoint = 50000').execute(db);
  return async () => {
    await sql.raw(`PRAGMA cache_size = ${Math.trunc(cache)}`).execute(db);
    await sql.raw(`PRAGMA wal_autocheckpoint = ${Math.trunc(checkpoint)}`).execute(db);
  };
}

/**
 * Validates every row and stores the valid ones in batched transactions, each with its audit
 * entries. A row's id comes from its cells, so a re-run after an interruption skips what was
 * stored. Large files are read and validated in a second thread while this one writes.
 */
export async function importFile(o: ImportOptions): Promise<ImportSummary> {
  const { db, formId } = o;
  const org = await getOrgUnit(db, o.orgCode);
  if (!org) throw new Error(`org unit ${o.orgCode} not found / 无此单位`);
  const form = await new EffectiveForms(db, o.compile).get(formId, org.path);
  if (!form) throw new Error(`form ${formId} has no published version / 表单未发布`);
  const status = o.status ?? 'submitted';
  const actor = o.actor ?? 'import';
  const clock = o.clock ?? systemClock;
  const hooks = [...(o.hooks ?? []), ...(o.workflows ? [workflowSubmissionHooks(o.workflows)] : [])];
  const principal: SaveActor = {
    userId: actor,
    username: actor,
    orgCode: org.code,
    orgPath: org.path,
    orgLevel: org.level,
    roles: ['admin'],
    permissions: ['pii'],
    tokenId: 'cli-import',
    tokenKind: 'api',
  };
  const mode = status === 'draft' ? ('draft' as const) : ('submit' as const);
  const ctx = o.today ? { mode, orgUnit: org.code, today: o.today } : { mode, orgUnit: org.code };
  const batchSize = Math.trunc(o.batchSize ?? DEFAULT_BATCH);
  if (!(batchSize >= 1 && batchSize <= MAX_BATCH))
    throw httpError('NX_ERR_IMPORT_BATCH_SIZE', [
      {
        path: '/batchSize',
        code: 'NX_ERR_IMPORT_BATCH_SIZE',
        message: {
          'zh-CN': `--batch ${o.batchSize} 超出范围：请给 1 到 ${MAX_BATCH} 之间的数（默认 ${DEFAULT_BATCH}）`,
          en: `--batch ${o.batchSize} is out of range: give a number from 1 to ${MAX_BATCH} (default ${DEFAULT_BATCH})`,
        },
      },
    ]);
  const total = statSync(o.file).size;
  const summary: ImportSummary = { rows: 0, imported: 0, skipped: 0, rejected: 0, errors: [] };
  const bulk = new BulkSql(db);
  const writer = bulkWriter(bulk);

  const compilable = o.compile?.compile === undefined || o.pluginConfig !== undefined;
  const thread = o.thread ?? (compilable && total >= THREAD_FROM_BYTES);
  if (thread && !compilable)
    throw new Error('a validation thread needs pluginConfig to compile the form with the plugins');
  const batches: AsyncGenerator<RowBatch> = thread
    ? workerBatches({
        file: o.file,
        formId,
        orgCode: org.code,
        definition: form.definition,
        ctx,
        batchSize: CHUNK,
        // Enough to validate a whole transaction's rows while the previous one is written.
        ahead: Math.ceil(batchSize / CHUNK) + 1,
        ...(o.pluginConfig ? { pluginConfig: o.pluginConfig } : {}),
      })
    : validatedRows({
        file: o.file,
        formId,
        orgCode: org.code,
        form: form.compiled,
        ctx,
        batchSize: CHUNK,
      });

  /** The stored row of a valid row. */
  const tableRow = (p: ValidRow, at: string): SubmissionTable => ({
    id: p.id,
    form_id: formId,
    form_version: form.version,
    org_code: org.code,
    org_path: org.path,
    status,
    data: p.json,
    version: 1,
    period: null,
    created_by: actor,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  });

  /** A refusal: its located errors, else the refusal itself against the whole row. */
  const reject = (line: number, err: NxError) => {
    summary.rejected++;
    const list = err.errors ?? [];
    if (list.length === 0)
      summary.errors.push({ row: line, field: '', code: err.code, message: err.messageText });
    for (const d of list) summary.errors.push({ row: line, field: d.path, code: d.code, message: d.message });
  };

  /**
   * One transaction through the save pipeline: the rows not stored before, in multi-row
   * statements. Another import of the same rows committing first (PostgreSQL lets both read
   * "not stored yet") fails this one on the primary key; it is tried again, and then skips them.
   */
  const store = async (rows: ValidRow[]) => {
    if (rows.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      const tally = { imported: 0, skipped: 0, rejected: [] as [number, NxError][] };
      try {
        await storeOnce(rows, tally);
      } catch (err) {
        if (attempt < 3 && isUniqueViolation(err)) continue;
        throw err;
      }
      summary.imported += tally.imported;
      summary.skipped += tally.skipped;
      for (const [line, err] of tally.rejected) reject(line, err);
      return;
    }
  };
  const storeOnce = async (
    rows: ValidRow[],
    tally: { imported: number; skipped: number; rejected: [number, NxError][] },
  ) => {
    const at = clock();
    await writeTransaction(db, async (trx) => {
      const existing = new Set<string>();
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const ids = rows.slice(i, i + ROWS_PER_STATEMENT).map((p) => p.id);
        for (const id of await bulk.existingSubmissionIds(trx, ids)) existing.add(id);
      }
      const lines = new Map<SaveContext, number>();
      const items: SaveContext[] = [];
      for (const p of rows) {
        // The same row twice in one file is one submission too.
        if (existing.has(p.id)) {
          tally.skipped++;
          continue;
        }
        existing.add(p.id);
        const row = tableRow(p, at);
        const item = saveContext({
          action: 'create',
          db: trx,
          actor: principal,
          form: form.definition,
          before: null,
          after: lazySubmission(row),
          orgPath: org.path,
          now: at,
        });
        item.row = row;
        lines.set(item, p.line);
        items.push(item);
      }
      // Validated already (by the reader): the pipeline runs from authorize on, without validate.
      const saved = await runSaves(hooks, items, {
        writer,
        onRefused: (item, err) => tally.rejected.push([lines.get(item) ?? 0, err]),
      });
      tally.imported += saved.length;
    });
  };

  const restore = await bulkSettings(db);
  try {
    let pending: ValidRow[] = [];
    let bytes = 0;
    for await (const b of batches) {
      summary.rows += b.rows;
      summary.rejected += b.rejected;
      for (const e of b.errors) summary.errors.push(e);
      for (const r of b.valid) pending.push(r);
      bytes = b.bytes;
      if (pending.length >= batchSize) {
        await store(pending);
        pending = [];
        o.onProgress?.(bytes, total);
        // A server on the same event loop (or a progress bar) gets its turn between transactions.
        await yieldToEventLoop();
      }
    }
    await store(pending);
  } finally {
    await restore();
  }
  o.onProgress?.(total, total);
  return summary;
}
