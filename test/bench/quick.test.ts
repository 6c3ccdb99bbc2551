import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Row {
  name: string;
  opsPerSec: number;
  ratio: number;
}
interface Report {
  quick: boolean;
  results: { bench: string; baseline: string; rows: Row[] }[];
}

/**
 * `npm run bench -- --quick --json` runs every case on tiny inputs, so a benchmark that no longer
 * builds, whose engines stop agreeing, or whose server stops answering fails here in CI.
 */
describe('npm run bench --quick', () => {
  it('runs every case, each row measured and compared with a baseline of the same run', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), '--quick', '--json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NUANXIN_BENCH_EXPORT_ROWS: '2000' },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 240_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as Report;
    expect(report.quick).toBe(true);
    const benches = report.results.map((x) => x.bench).join(' | ');
    for (const want of [
      'validation',
      'decisions',
      'HTTP submit',
      'roster',
      '附件1',
      'bulk import',
      'attachment uploads',
      'crosschecks (',
      // The cross-checks case on PostgreSQL runs where a server is given (CI gives one).
      ...(process.env.NUANXIN_TEST_PG_URL ? ['crosschecks on PostgreSQL'] : []),
    ]) {
      expect(benches).toContain(want);
    }
    for (const res of report.results) {
      const base = res.rows.find((row) => row.name === res.baseline);
      expect(base?.ratio).toBe(1);
      for (const row of res.rows) {
        expect(row.opsPerSec).toBeGreaterThan(0);
        expect(Number.isFinite(row.ratio)).toBe(true);
      }
    }
    const validation = report.results.find((x) => x.bench.includes('validation'));
    expect(validation?.rows.map((row) => row.name).join()).toMatch(/form\.io.*SurveyJS/);
  }, 250_000);
});
