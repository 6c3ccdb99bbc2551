/**
 * Bulk import (`nuanxin import`): rows/s of `importFile` over a CSV of generated household surveys
 * (one in twenty with a mistake, so rejections and the error list are part of the run) into a
 * fresh SQLite database, against the limit: one transaction of prepared inserts of the same
 * rows' JSON into the same table. The CSV is written once and kept under `bench/.cache/`.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { csvRecords } from '../../cli/import/csv-records.ts';
import { importFile } from '../../cli/import/import-file.ts';
import { outlineForm } from '../../engine/definition/form-outline.ts';
import { loadForm } from '../../engine/definition/load-form.ts';
import { publishDraft, saveDraft } from '../../engine/forms/form-store.ts';
import { importOrgUnits } from '../../engine/org/import.ts';
import { createDatabase } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import { HOUSEHOLD_AS_OF } from '../../test/factories/household.ts';
import { type BenchOptions, type BenchResult, compare, type Measurement } from '../harness.ts';
import { householdChunks } from '../households-parallel.ts';
import { CACHE_DIR } from '../reports-db.ts';
import { HOUSEHOLDS } from './reports.ts';

export const name = 'import';
export const description =
  'bulk import of household surveys from CSV: rows/s vs one transaction of prepared inserts';

const ROOT = join(import.meta.dirname, '..', '..');
/** The survey's columns for a CSV: its fields that hold input (no groups, no table columns, nothing calculated). */
const COLUMNS = outlineForm(JSON.parse(readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8')))
  .fields.filter(
    (f) => f.id !== undefined && f.table === undefined && f.type !== 'group' && !('calculate' in f.raw),
  )
  .map((f) => f.id as string);

/** The CSV of `n` households (every 20th with a household size that does not match), made once. */
export async function householdCsv(n: number, dir: string): Promise<{ file: string; bad: number }> {
  const file = join(dir, `import-${n}.csv`);
  const bad = Math.floor((n + 9) / 20);
  if (existsSync(file)) return { file, bad };
  mkdirSync(dir, { recursive: true });
  const part = `${file}.part`;
  const out = createWriteStream(part);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(`${COLUMNS.join(',')}\n`);
  // The lines are made on every core (`households-worker.ts`); this thread only writes them.
  for await (const chunk of householdChunks({ kind: 'csv', n, seed: 808, chunk: 5_000, columns: COLUMNS })) {
    if (!('lines' in chunk)) throw new Error('expected lines');
    await write(chunk.lines);
  }
  await new Promise<void>((r) => out.end(() => r()));
  renameSync(part, file);
  return { file, bad };
}

async function freshDatabase(file: string) {
  const db = createDatabase(file);
  await migrateToLatest(db);
  await importOrgUnits(db, [
    { code: '510000', name: '四川省', parent: null, level: 'province' },
    { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
    { code: '511923', name: '平昌县', parent: '511900', level: 'county' },
  ]);
  const form = loadForm(JSON.parse(readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8')));
  if (!form.ok) throw new Error('household-survey does not load');
  await saveDraft(db, form.value, 'bench');
  await publishDraft(db, form.value.id, 'bench');
  return db;
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.quick ? 1000 : HOUSEHOLDS;
  const work = mkdtempSync(join(tmpdir(), 'nuanxin-bench-import-'));
  try {
    const { file, bad } = await householdCsv(n, opts.quick ? work : CACHE_DIR);

    const db = await freshDatabase(join(work, 'nuanxin.db'));
    const t0 = process.hrtime.bigint();
    const s = await importFile({
      db,
      formId: 'household-survey',
      file,
      orgCode: '511923',
      today: HOUSEHOLD_AS_OF,
    });
    const importSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    await db.destroy();
    if (s.rows !== n || s.rejected !== bad || s.imported !== n - bad)
      throw new Error(
        `import: ${JSON.stringify({ ...s, errors: s.errors.length })}, expected ${bad} rejected of ${n}`,
      );

    // The limit: the same file read by the same CSV reader, each row's cells as one JSON object,
    // in one transaction of one prepared insert (no checks, no ids to derive, no audit).
    const sqlite = new SqliteDatabase(join(work, 'limit.db'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec(`CREATE TABLE submissions (id TEXT PRIMARY KEY, form_id TEXT NOT NULL, form_version INTEGER NOT NULL,
      org_code TEXT NOT NULL, org_path TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL, version INTEGER NOT NULL,
      period TEXT, created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT)`);
    const insert = sqlite.prepare(
      `INSERT INTO submissions VALUES (?, 'household-survey', 1, '511923', '/510000/511900/511923/', 'submitted', ?, 1, NULL, 'bench', ?, ?, NULL)`,
    );
    const t1 = process.hrtime.bigint();
    const now = new Date().toISOString();
    let header: string[] | null = null;
    let i = 0;
    sqlite.exec('BEGIN');
    for await (const cells of csvRecords(file)) {
      if (!header) header = cells.map(String);
      else {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < header.length; c++) row[header[c] as string] = cells[c];
        insert.run(`row-${i++}`, JSON.stringify(row), now, now);
      }
    }
    sqlite.exec('COMMIT');
    const limitSecs = Number(process.hrtime.bigint() - t1) / 1e9;
    const stored = (sqlite.prepare('SELECT count(*) AS n FROM submissions').get() as { n: number }).n;
    sqlite.close();
    if (stored !== n) throw new Error(`limit stored ${stored} of ${n}`);

    const m = (label: string, secs: number, detail: string): Measurement => ({
      name: label,
      opsPerSec: n / secs,
      rounds: [n / secs],
      unit: 'rows/s',
      detail: `${secs.toFixed(2)} s ${detail}`,
    });
    return [
      compare(
        'bulk import, CSV → SQLite',
        'one transaction of prepared inserts (limit)',
        [
          m(
            'one transaction of prepared inserts (limit)',
            limitSecs,
            `${stored} rows read and stored, no checks`,
          ),
          m(
            'nuanxin import (validate, audit, 20,000 rows a transaction)',
            importSecs,
            `${s.imported} stored, ${s.rejected} rejected`,
          ),
        ],
        [
          `${n.toLocaleString('en-US')} generated households in one CSV (tables as JSON cells, tick boxes comma-separated), one in 20 with a wrong household size`,
          'limit: the same CSV reader, each row as a JSON object of its cells, one prepared insert per row in one transaction; no indexes but the primary key',
          `nuanxin: the file read and validated (computed fields, deterministic ids) in a second thread while the main thread stores the previous batch: existing-id check, multi-row inserts of submissions and their audit entries (the data in full), one transaction per batch, the store's indexes`,
          'not included: plugin submission hooks and workflow case start (import runs plugin hooks only when a config names plugins with hooks; workflows are not started by import)',
        ],
      ),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
