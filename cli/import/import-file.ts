import { statSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { Principal } from '../../engine/auth/principal.ts';
import { NxError } from '../../engine/errors/nx-error.ts';
import { EffectiveForms } from '../../engine/forms/effective-forms.ts';
import { getOrgUnit } from '../../engine/org/org-units.ts';
import { nowIso } from '../../engine/store/clock.ts';
import { dialectOf } from '../../engine/store/dialect.ts';
import type { Database, SubmissionTable } from '../../engine/store/schema.ts';
import { type SubmissionHooks, toSubmission } from '../../engine/submissions/submission.ts';
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
  /** Rows per transaction (default 20,000): fewer, larger transactions write the indexes' pages fewer times. */
  batchSize?: number;
  hooks?: readonly SubmissionHooks[];
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
/** Rows per statement: at 13 parameters a row, under every dialect's limit on bound parameters. */
const ROWS_PER_STATEMENT = 500;
/**
 * Rows per transaction. Submission ids are hashes, so each row lands on a different page of
 * each id index; a transaction of many rows writes each such page once for many of them
 * (20,000 rather than 1,000 almost halved SQLite's share at 200,000 rows).
 */
const DEFAULT_BATCH = 20_000;
/** Rows per batch handed from the reader to the writer. */
const CHUNK = 1000;
/** From this size on, a file is validated in a second thread unless told otherwise. */
const THREAD_FROM_BYTES = 16 << 20;

/**
 * The audit entry of a created submission, exactly as `writeAudit` stores it
 * (`diffSnapshots(null, after)`), with the data's JSON spliced in rather than serialised twice.
 */
export function importAuditDiff(status: string, dataJson: string): string {
  return `{"before":null,"after":{"status":${JSON.stringify(status)},"version":1,"period":null,"data":${dataJson},"source":"import"}}`;
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
  const hooks = o.hooks ?? [];
  const principal: Principal = {
    userId: actor,
    username: actor,
    orgCode: org.code,
    orgPath: org.path,
    roles: ['admin'],
    permissions: ['pii'],
    tokenId: 'cli-import',
    tokenKind: 'api',
  };
  const mode = status === 'draft' ? ('draft' as const) : ('submit' as const);
  const ctx = o.today ? { mode, orgUnit: org.code, today: o.today } : { mode, orgUnit: org.code };
  const batchSize = Math.max(1, Math.trunc(o.batchSize ?? DEFAULT_BATCH));
  const total = statSync(o.file).size;
  const summary: ImportSummary = { rows: 0, imported: 0, skipped: 0, rejected: 0, errors: [] };
  const bulk = new BulkSql(db);

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
  /** What the hooks receive for a row (made once per row and shared by beforeSave and afterSave). */
  const hookArgs = (trx: Kysely<Database>, row: SubmissionTable) =>
    ({
      action: 'create',
      db: trx,
      actor: principal,
      form: form.definition,
      before: null,
      after: toSubmission(row),
    }) as const;

  /** A plugin's veto: its located errors, else the refusal itself against the whole row. */
  const reject = (line: number, err: NxError) => {
    summary.rejected++;
    const list = err.errors ?? [];
    if (list.length === 0)
      summary.errors.push({ row: line, field: '', code: err.code, message: err.messageText });
    for (const d of list) summary.errors.push({ row: line, field: d.path, code: d.code, message: d.message });
  };

  /** One transaction: the rows not stored before, their audit entries, the plugins' hooks. */
  const store = async (rows: ValidRow[]) => {
    if (rows.length === 0) return;
    const at = nowIso();
    await db.transaction().execute(async (trx) => {
      const existing = await bulk.existingSubmissionIds(
        trx,
        rows.map((p) => p.id),
      );
      const fresh: { line: number; row: SubmissionTable; args?: ReturnType<typeof hookArgs> }[] = [];
      for (const p of rows) {
        // The same row twice in one file is one submission too.
        if (existing.has(p.id)) {
          summary.skipped++;
          continue;
        }
        existing.add(p.id);
        const row = tableRow(p, at);
        if (hooks.length === 0) {
          fresh.push({ line: p.line, row });
          continue;
        }
        const args = hookArgs(trx, row);
        try {
          for (const h of hooks) await h.beforeSave?.(args);
        } catch (err) {
          if (!(err instanceof NxError)) throw err;
          reject(p.line, err);
          continue;
        }
        fresh.push({ line: p.line, row, args });
      }
      for (let i = 0; i < fresh.length; i += ROWS_PER_STATEMENT) {
        const part = fresh.slice(i, i + ROWS_PER_STATEMENT);
        await bulk.insert(
          trx,
          'submissions',
          SUBMISSION_COLUMNS,
          part.map(({ row }) => SUBMISSION_COLUMNS.map((c) => row[c])),
        );
        await bulk.insert(
          trx,
          'audit_log',
          AUDIT_COLUMNS,
          part.map(({ row }) => [
            at,
            actor,
            'submission.create',
            'submission',
            row.id,
            org.path,
            importAuditDiff(status, row.data),
          ]),
        );
      }
      for (const f of fresh) if (f.args) for (const h of hooks) await h.afterSave?.(f.args);
      summary.imported += fresh.length;
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
      }
    }
    await store(pending);
  } finally {
    await restore();
  }
  o.onProgress?.(total, total);
  return summary;
}
