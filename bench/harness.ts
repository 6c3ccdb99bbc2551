/**
 * A small benchmark harness: each case runs a warm-up, then several timed rounds; the median
 * round is reported. Ratios are always computed against a baseline measured in the same run.
 */

/** What `npm run bench` passes to every case. */
export interface BenchOptions {
  /** A smoke run: tiny sizes, so a broken benchmark fails fast without timing anything real. */
  quick: boolean;
}

export interface Measurement {
  name: string;
  /** Operations per second, median of the rounds. */
  opsPerSec: number;
  rounds: number[];
  unit: string;
  /** Other figures of the same measurement (latency percentiles, seconds, peak RSS …). */
  detail?: string;
}

export interface BenchResult {
  bench: string;
  baseline: string;
  rows: Array<Measurement & { ratio: number }>;
  notes: string[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Runs `fn(i)` for `iterations` per round and returns ops/s (median of `rounds`).
 * The return values are folded into a sink so the work cannot be optimised away.
 */
export function measure(
  name: string,
  fn: (i: number) => unknown,
  opts: { iterations: number; rounds?: number; warmup?: number; unit?: string },
): Measurement {
  const rounds = opts.rounds ?? 5;
  let sink = 0;
  const warm = opts.warmup ?? Math.max(1, Math.floor(opts.iterations / 4));
  for (let i = 0; i < warm; i++) if (fn(i)) sink++;
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < opts.iterations; i++) if (fn(i)) sink++;
    const ns = Number(process.hrtime.bigint() - t0);
    perRound.push((opts.iterations * 1e9) / ns);
  }
  if (sink < 0) console.log(sink);
  return { name, opsPerSec: median(perRound), rounds: perRound, unit: opts.unit ?? 'ops/s' };
}

/** Like `measure`, for asynchronous work: `fn()` is awaited `iterations` times per round. */
export async function measureAsync(
  name: string,
  fn: (i: number) => Promise<unknown>,
  opts: { iterations: number; rounds?: number; warmup?: number; unit?: string },
): Promise<Measurement> {
  const rounds = opts.rounds ?? 3;
  const warm = opts.warmup ?? Math.max(1, Math.floor(opts.iterations / 4));
  for (let i = 0; i < warm; i++) await fn(i);
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < opts.iterations; i++) await fn(i);
    perRound.push((opts.iterations * 1e9) / Number(process.hrtime.bigint() - t0));
  }
  return { name, opsPerSec: median(perRound), rounds: perRound, unit: opts.unit ?? 'ops/s' };
}

/**
 * Times `fn`, which works through `n` rows, `rounds` times: rows/s (the median), with its wall
 * seconds and, with `cpu`, this process's CPU seconds (steadier than wall time on a shared
 * machine where the database runs in the process, as SQLite does).
 */
export async function measureRows(
  name: string,
  n: number,
  rounds: number,
  fn: () => unknown,
  opts: { cpu?: boolean } = {},
): Promise<Measurement> {
  const per: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn();
    per.push(n / (Number(process.hrtime.bigint() - t0) / 1e9));
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const med = median(per);
  const wall = `${(n / med).toFixed(2)} s`;
  return {
    name,
    opsPerSec: med,
    rounds: per,
    unit: 'rows/s',
    detail: opts.cpu ? `${wall}, cpu ${median(cpu).toFixed(2)} s` : wall,
  };
}

/** Attaches to each measurement its ratio to the named baseline of the same run. */
export function compare(
  bench: string,
  baseline: string,
  rows: Measurement[],
  notes: string[] = [],
): BenchResult {
  const base = rows.find((r) => r.name === baseline);
  if (!base) throw new Error(`baseline ${baseline} not measured`);
  return { bench, baseline, rows: rows.map((r) => ({ ...r, ratio: r.opsPerSec / base.opsPerSec })), notes };
}

/** A ratio readable however small: 0.638, 0.0031, 0.000094. */
export const fmtRatio = (r: number): string => (r >= 0.01 ? r.toFixed(3) : r.toPrecision(2));

export const fmt = (n: number): string =>
  n >= 100
    ? Math.round(n).toLocaleString('en-US')
    : n.toLocaleString('en-US', { maximumSignificantDigits: 3 });

/** Prints one benchmark's table. */
export function printResult(r: BenchResult): void {
  console.log(`\n## ${r.bench}  (ratio = figure / ${r.baseline}, same run)`);
  const w = Math.max(...r.rows.map((x) => x.name.length), 10);
  for (const row of r.rows) {
    console.log(
      `  ${row.name.padEnd(w)}  ${fmt(row.opsPerSec).padStart(12)} ${row.unit.padEnd(10)}  ×${fmtRatio(row.ratio)}${row.detail ? `  ${row.detail}` : ''}`,
    );
  }
  for (const n of r.notes) console.log(`  note: ${n}`);
}
