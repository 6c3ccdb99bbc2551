/**
 * Builds generated households for the benchmarks' data files in a worker thread: chunk `k`
 * holds households `k·size … (k+1)·size - 1` of `householdStream(n, seed)`, and this worker makes
 * the chunks `k ≡ index (mod workers)`, each as the lines its consumer stores or writes, so the
 * file's builder only writes. It runs at most `ahead` chunks ahead of the consumer.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleset } from '../plugins/rules/compile-ruleset.ts';
import { loadRulesetFile } from '../plugins/rules/load-ruleset.ts';
import { lookupOf } from '../plugins/rules/parameters.ts';
import { DEMO_PARAMETERS_FILE, loadParameterFile } from '../plugins/rules/params-file.ts';
import { csvCell } from '../test/factories/csv-cell.ts';
import { HOUSEHOLD_AS_OF, makeHousehold } from '../test/factories/household.ts';
import { deriveSeed } from '../test/factories/prng.ts';

export interface HouseholdsWorkerInput {
  n: number;
  seed: number;
  chunk: number;
  index: number;
  workers: number;
  ahead: number;
  /** `reports`: [org code, data JSON, decision outputs JSON] per household; `csv`: CSV lines. */
  kind: 'reports' | 'csv';
  /** reports: org code → materialised path, for filing and for the rules' parameter chain. */
  paths?: [string, string][];
  /** csv: the columns, in order. */
  columns?: string[];
}

export type HouseholdsChunk = { k: number; rows: string[][] } | { k: number; lines: string };

const ROOT = join(import.meta.dirname, '..');
const port = parentPort;
if (!port) throw new Error('households-worker runs only as a worker thread');
const input = workerData as HouseholdsWorkerInput;
let credits = input.ahead;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
  wake = null;
});

function reportsRows(): (i: number) => string[] {
  const ruleset = loadRulesetFile(join(ROOT, 'plugins', 'rules', 'rulesets', 'household-eligibility.json'));
  const params = loadParameterFile(DEMO_PARAMETERS_FILE);
  if (!ruleset.ok || !params.ok) throw new Error('household-eligibility or its parameters do not load');
  const rules = compileRuleset(ruleset.value);
  const lookup = lookupOf(params.value);
  const paths = new Map(input.paths ?? []);
  return (i) => {
    const h = makeHousehold(deriveSeed(input.seed, i));
    const county = h.headIdNumber.slice(0, 6);
    const org = paths.has(county) ? county : '510000';
    const chain = (paths.get(org) ?? '/510000/').split('/').filter(Boolean).reverse();
    const d = rules.evaluate(h as unknown as Record<string, unknown>, {
      asOf: HOUSEHOLD_AS_OF,
      orgCode: org,
      chain,
      parameters: lookup,
      explain: false,
    });
    return [org, JSON.stringify(h), JSON.stringify(d.outputs)];
  };
}

/** Every 20th household (i ≡ 10) gets a household size that does not match its members. */
function csvLine(columns: string[]): (i: number) => string {
  return (i) => {
    const row = makeHousehold(deriveSeed(input.seed, i)) as unknown as Record<string, unknown>;
    if (i % 20 === 10) row.householdSize = (row.householdSize as number) + 1;
    return `${columns.map((c) => csvCell(row[c])).join(',')}\n`;
  };
}

const chunks = Math.ceil(input.n / input.chunk);
const rowOf = input.kind === 'reports' ? reportsRows() : null;
const lineOf = input.kind === 'csv' ? csvLine(input.columns ?? []) : null;
for (let k = input.index; k < chunks; k += input.workers) {
  while (credits === 0) await new Promise<void>((r) => (wake = r));
  credits--;
  const end = Math.min(input.n, (k + 1) * input.chunk);
  if (rowOf) {
    const rows: string[][] = [];
    for (let i = k * input.chunk; i < end; i++) rows.push(rowOf(i));
    port.postMessage({ k, rows } satisfies HouseholdsChunk);
  } else if (lineOf) {
    let lines = '';
    for (let i = k * input.chunk; i < end; i++) lines += lineOf(i);
    port.postMessage({ k, lines } satisfies HouseholdsChunk);
  }
}
