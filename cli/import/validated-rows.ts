import { extname } from 'node:path';
import { dataFields } from '../../engine/forms/walk-fields.ts';
import type { CompiledForm, ValidateContext } from '../../engine/runtime/types.ts';
import { type Cell, csvRecords } from './csv-records.ts';
import type { RowError } from './error-report.ts';
import { RowReader } from './row-data.ts';
import { xlsxRecords } from './xlsx-records.ts';

/** A row that passed validation, ready to store. */
export interface ValidRow {
  /** Spreadsheet row number (the header is row 1). */
  line: number;
  id: string;
  /** The submission data (with computed fields) as stored. */
  json: string;
}

/** What one batch of the file gave: the rows to store and the rejections, with progress. */
export interface RowBatch {
  valid: ValidRow[];
  errors: RowError[];
  /** Data rows read in this batch, valid or not. */
  rows: number;
  rejected: number;
  /** Bytes of the file read so far. */
  bytes: number;
}

export interface ValidatedRowsOptions {
  file: string;
  formId: string;
  orgCode: string;
  form: CompiledForm;
  ctx: ValidateContext;
  /** Valid rows per batch. */
  batchSize: number;
}

/** The rows of a CSV or XLSX file (by its extension). */
export function fileRecords(file: string, bytes: { read: number }): AsyncGenerator<Cell[]> {
  return extname(file).toLowerCase() === '.xlsx' ? xlsxRecords(file, bytes) : csvRecords(file, bytes);
}

/**
 * Reads a file row by row, validates each row against the compiled form and yields batches of
 * `batchSize` valid rows with the rejections met on the way. The same code runs in the import's
 * worker thread and, for small files, in the caller's own thread.
 */
export async function* validatedRows(o: ValidatedRowsOptions): AsyncGenerator<RowBatch> {
  const bytes = { read: 0 };
  // Which field each column fills, and so how its cells are read: the form's own data fields.
  const types = new Map(dataFields(o.form.definition).map((f) => [f.id, f.type] as const));
  let reader: RowReader | null = null;
  let line = 0;
  let batch: RowBatch = { valid: [], errors: [], rows: 0, rejected: 0, bytes: 0 };
  for await (const cells of fileRecords(o.file, bytes)) {
    line++;
    if (reader === null) {
      reader = new RowReader(
        o.formId,
        o.orgCode,
        cells.map((c) => String(c ?? '').trim()),
        types,
      );
      continue;
    }
    batch.rows++;
    const r = o.form.validate(reader.data(cells), o.ctx);
    if (!r.ok) {
      batch.rejected++;
      for (const e of r.errors)
        batch.errors.push({ row: line, field: e.path, code: e.code, message: e.message });
      continue;
    }
    batch.valid.push({ line, id: reader.id(cells), json: JSON.stringify(r.data) });
    if (batch.valid.length >= o.batchSize) {
      batch.bytes = bytes.read;
      yield batch;
      batch = { valid: [], errors: [], rows: 0, rejected: 0, bytes: 0 };
    }
  }
  batch.bytes = bytes.read;
  if (batch.rows > 0) yield batch;
}
