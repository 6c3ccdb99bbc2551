/**
 * `npm run bench [-- NAME…] [--json] [--quick]`: runs every benchmark in `bench/cases/` (or the
 * named ones), prints each table with ratios to its same-run baseline, then a summary table.
 * `--quick` shrinks every case to a smoke run of seconds (what `test/bench/` runs in CI).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchOptions, type BenchResult, fmtRatio, printResult } from './harness.ts';

interface BenchModule {
  name: string;
  description: string;
  run(opts: BenchOptions): Promise<BenchResult[]>;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
const dir = join(import.meta.dirname, 'cases');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();

const results: BenchResult[] = [];
/** Wall time of each case, data it builds on first use included. */
const timings: { case: string; seconds: number }[] = [];
const started = Date.now();
for (const file of files) {
  const mod = (await import(join(dir, file))) as BenchModule;
  if (wanted.length && !wanted.includes(mod.name)) continue;
  if (!json) console.log(`\n# ${mod.name} — ${mod.description}`);
  const t0 = Date.now();
  for (const r of await mod.run({ quick })) {
    results.push(r);
    if (!json) printResult(r);
  }
  timings.push({ case: mod.name, seconds: (Date.now() - t0) / 1000 });
  if (!json) console.log(`  (${mod.name}: ${(timings.at(-1)?.seconds ?? 0).toFixed(0)} s)`);
}

if (json) {
  console.log(
    JSON.stringify(
      {
        node: process.version,
        cpus: (await import('node:os')).cpus().length,
        quick,
        seconds: (Date.now() - started) / 1000,
        timings,
        results,
      },
      null,
      2,
    ),
  );
} else {
  const each = timings.map((t) => `${t.case} ${t.seconds.toFixed(0)} s`).join(', ');
  console.log(`\n# summary (${((Date.now() - started) / 1000).toFixed(0)} s: ${each})`);
  for (const r of results) {
    for (const row of r.rows) {
      if (row.name === r.baseline) continue;
      console.log(
        `  ${r.bench.padEnd(36)} ${row.name.padEnd(52)} ×${fmtRatio(row.ratio).padEnd(7)} of ${r.baseline}`,
      );
    }
  }
}
