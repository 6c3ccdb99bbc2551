/**
 * Roster export of 1,000,000 families (附件3's 11 columns) to CSV and XLSX through the report
 * plugin's streaming writers, against plain comma-joined lines to `fs.createWriteStream`. Each run
 * is its own child process, so peak RSS is measured per exporter; flat memory shows as a peak
 * close to the baseline's and to a 100,000-row run's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchOptions, type BenchResult, compare, type Measurement } from '../harness.ts';

export const name = 'export';
export const description =
  'roster export of 1,000,000 rows: CSV and XLSX streaming writers vs plain fs.createWriteStream (rows/s, peak RSS)';

const FULL_ROWS = Number(process.env.NUANXIN_BENCH_EXPORT_ROWS ?? 1_000_000);
const CHILD = join(import.meta.dirname, '..', 'export-child.ts');

interface ChildResult {
  rows: number;
  ms: number;
  peakRss: number;
}

function child(mode: string, rows: number, file: string): ChildResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, mode, String(rows), file], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

export async function run(opts: BenchOptions = { quick: false }): Promise<BenchResult[]> {
  // A smoke run writes a few thousand rows: enough to prove the pipeline, in seconds.
  const ROWS = opts.quick ? Math.min(FULL_ROWS, 2000) : FULL_ROWS;
  const dir = mkdtempSync(join(tmpdir(), 'nx-bench-export-'));
  try {
    const rows: Measurement[] = [];
    const notes: string[] = [];
    const small = Math.max(1, Math.floor(ROWS / 10));
    for (const mode of ['baseline', 'csv', 'xlsx'] as const) {
      const file = join(dir, `roster.${mode === 'xlsx' ? 'xlsx' : 'csv'}`);
      const r = child(mode, ROWS, file);
      const size = statSync(file).size;
      const tenth = child(mode, small, file);
      const label = mode === 'baseline' ? 'fs.createWriteStream (plain lines)' : `report ${mode} writer`;
      rows.push({
        name: label,
        opsPerSec: (r.rows * 1000) / r.ms,
        rounds: [(r.rows * 1000) / r.ms],
        unit: 'rows/s',
        detail: `peak RSS ${mb(r.peakRss)} (${small.toLocaleString('en-US')} rows: ${mb(tenth.peakRss)}), file ${mb(size)}, ${(r.ms / 1000).toFixed(1)} s`,
      });
    }
    notes.push(
      `${ROWS.toLocaleString('en-US')} rows per run, each run in its own process; RSS sampled every 20 ms`,
    );
    notes.push(
      'CSV adds RFC 4180 quoting, the formula guard and the BOM; XLSX writes the sheet XML itself and deflates it (archiver), waiting on backpressure',
    );
    return [compare(name, 'fs.createWriteStream (plain lines)', rows, notes)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
