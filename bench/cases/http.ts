/**
 * HTTP submit end to end on SQLite, loaded with autocannon on 127.0.0.1: Nuanxin's
 * `POST /api/forms/household-survey/submissions` (status `submitted`: validate, store, audit,
 * decide eligibility, write the household's register version; a survey starts no case) against the limit, a bare Fastify route
 * inserting the same JSON with one prepared better-sqlite3 statement. Each server runs in its own
 * process (`bench/http-server.ts`); every request carries a different generated household.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import SqliteDatabase from 'better-sqlite3';
import { makeHouseholds } from '../../test/factories/household.ts';
import { type BenchOptions, type BenchResult, compare, type Measurement } from '../harness.ts';

export const name = 'http';
export const description =
  'HTTP submit end to end on SQLite (autocannon): requests/s and p50/p99 vs a bare insert route';

/** Generated households (member ages follow their ID numbers as of each survey's date, as the form checks). */
function bodies(n: number): string[] {
  return makeHouseholds(n, 21).map((h) => JSON.stringify({ data: h, status: 'submitted' }));
}

type Synchronous = 'FULL' | 'NORMAL';

async function startServer(
  mode: 'nuanxin' | 'bare',
  file: string,
  synchronous: Synchronous,
): Promise<{ child: ChildProcess; port: number; token: string }> {
  const args = ['--import', 'tsx', join(import.meta.dirname, '..', 'http-server.ts'), mode, file];
  if (process.env.BENCH_CPU_PROF) args.unshift('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NUANXIN_SQLITE_SYNCHRONOUS: synchronous },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  lines.close();
  return { child, ...(JSON.parse(first) as { port: number; token: string }) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function load(
  label: string,
  mode: 'nuanxin' | 'bare',
  synchronous: Synchronous,
  dir: string,
  payloads: string[],
  opts: BenchOptions,
): Promise<Measurement> {
  const file = join(dir, `${mode}-${synchronous}.db`);
  const server = await startServer(mode, file, synchronous);
  try {
    let next = 0;
    const request = {
      method: 'POST',
      path: '/api/forms/household-survey/submissions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      setupRequest: (req: { body?: string }) => ({ ...req, body: payloads[next++ % payloads.length] }),
    };
    const url = `http://127.0.0.1:${server.port}`;
    // A short warm-up lets the JIT and SQLite's page cache settle; it is not counted.
    await autocannon({ url, connections: 10, duration: opts.quick ? 1 : 3, requests: [request] });
    const r = await autocannon({ url, connections: 10, duration: opts.quick ? 2 : 10, requests: [request] });
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`${label}: ${r.non2xx} non-2xx answers and ${r.errors} errors under load`);
    if (mode === 'nuanxin') await stop(server.child).then(() => checkStored(file, r['2xx']));
    return {
      name: label,
      opsPerSec: r.requests.average,
      rounds: [r.requests.average],
      unit: 'req/s',
      detail: `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r['2xx']} answered 201`,
    };
  } finally {
    await stop(server.child);
  }
}

/** Every 201 must have left a submission and its audit entry (a survey starts no case: applications do). */
function checkStored(file: string, answered: number): void {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const subs = count('SELECT count(*) AS n FROM submissions');
    const audits = count("SELECT count(*) AS n FROM audit_log WHERE entity_type = 'submission'");
    if (subs < answered || audits < subs)
      throw new Error(`after ${answered} answers: ${subs} submissions, ${audits} audit entries`);
  } finally {
    db.close();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-bench-http-'));
  try {
    const payloads = bodies(opts.quick ? 50 : 1000);
    const bare = 'bare Fastify + one prepared insert, synchronous=FULL (limit)';
    const nuanxinFull = 'nuanxin POST submissions (submitted), synchronous=FULL (default)';
    const rows = [await load(bare, 'bare', 'FULL', dir, payloads, opts)];
    // The NORMAL pair only in a real run: a --quick smoke run checks the case, not the levels.
    const normal = (label: string, mode: 'nuanxin' | 'bare') =>
      load(label, mode, 'NORMAL', dir, payloads, opts);
    if (!opts.quick)
      rows.push(await normal('bare Fastify + one prepared insert, synchronous=NORMAL', 'bare'));
    rows.push(await load(nuanxinFull, 'nuanxin', 'FULL', dir, payloads, opts));
    if (!opts.quick)
      rows.push(await normal('nuanxin POST submissions (submitted), synchronous=NORMAL', 'nuanxin'));
    return [
      compare('HTTP submit, SQLite, 10 connections', bare, rows, [
        `autocannon, 10 connections, ${opts.quick ? 2 : 10} s after a warm-up; ${payloads.length} different households, every answer checked to be 201`,
        'nuanxin path: auth (bearer token), validation, org scope, insert + audit entry, the household-eligibility decision made and stored (rules plugin evaluateOnSubmit, as nuanxin.config.json has it), the version of the household in the register, in one transaction (a survey starts no case)',
        'synchronous=FULL (the default) syncs the WAL at every commit: an acknowledged submission survives a power loss; NORMAL syncs at checkpoints only (README, Durability)',
        'not in the path: idempotency keys (none sent)',
      ]),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
