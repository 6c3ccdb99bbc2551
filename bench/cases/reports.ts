/**
 * Reports over a province's worth of data: the 附件3 roster (low-income-roster: every household
 * survey of the province joined with its current eligibility decision, filtered, in org-tree
 * order) and the 附件1 province roll-up (visit-statistics: the latest table of each city, county
 * rows summed per city), each built by the report plugin and read to the last row, against a
 * hand-written SQL query computing the same result on the same SQLite file (the limit). Both
 * must give the same rows before anything is timed.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { getOrgUnit } from '../../engine/org/org-units.ts';
import { createDatabase } from '../../engine/store/database.ts';
import { loadRegisters, registersService } from '../../plugins/registers/index.ts';
import { createDecisionProvider } from '../../plugins/report/decisions.ts';
import { seedForm } from '../../plugins/report/index.ts';
import { loadReportFile } from '../../plugins/report/load-report.ts';
import type { ReportDefinition } from '../../plugins/report/report-schema.ts';
import { buildTable } from '../../plugins/report/run-report.ts';
import { createDecisionsAsOf } from '../../plugins/rules/decisions-as-of.ts';
import { decisionJoin } from '../../plugins/rules/store/decision-join.ts';
import { type BenchOptions, type BenchResult, compare, type Measurement } from '../harness.ts';
import { reportsDatabase } from '../reports-db.ts';

export const name = 'reports';
export const description =
  '附件3 roster and 附件1 province roll-up over generated households (1,000,000; NUANXIN_BENCH_HOUSEHOLDS): report plugin vs hand-written SQL';

/** A province's registry: 1,000,000 households unless `NUANXIN_BENCH_HOUSEHOLDS` says otherwise. */
export const HOUSEHOLDS = Number(process.env.NUANXIN_BENCH_HOUSEHOLDS ?? 1_000_000);
const REPORTS = join(import.meta.dirname, '..', '..', 'plugins', 'report', 'reports');

function report(id: string): ReportDefinition {
  const r = loadReportFile(join(REPORTS, `${id}.json`));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

/** Reads a file once from start to end, so that both sides find it in the page cache. */
function warmFile(file: string): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** Runs `fn` `rounds` times and reports the median as runs/s, with the seconds in the detail. */
async function timed<T>(label: string, rounds: number, fn: () => Promise<T>): Promise<[Measurement, T]> {
  const times: number[] = [];
  let last: T | undefined;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    last = await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] as number;
  return [
    {
      name: label,
      opsPerSec: 1 / median,
      rounds: times.map((t) => 1 / t),
      unit: 'runs/s',
      detail: `${median.toFixed(3)} s`,
    },
    last as T,
  ];
}

/**
 * The roster the hand-written way, over the same typed columns the report reads: the households
 * register's records in the subtree (active), each joined with the decision in force on the as-of
 * date on its current survey (typed decision columns), kept when in the roster, in org-tree order.
 */
const ROSTER_SQL = `
  SELECT r.key AS id, r."headName" AS name, r."headSex" AS sex, r."householdSize" AS size,
         r."registeredAddress" AS addr, r."povertyCauses" AS causes, r."areaType" AS area, r.phone AS phone,
         d.per_capita_fen AS pci, d.hardship_type AS type
  FROM register_households r
  JOIN rule_decisions d ON d.id = (
    SELECT x.id FROM rule_decisions x
    WHERE x.subject_type = 'submission' AND x.subject_id = r.current_submission
      AND x.ruleset_id = 'household-eligibility' AND x.as_of <= ?
    ORDER BY x.as_of DESC, x.created_at DESC, x.id DESC LIMIT 1)
  WHERE r.owner_org_path LIKE '/510000/%' AND r.status = 'active' AND d.in_roster = 1
  ORDER BY r.owner_org_path, r.id`;

/** 附件1 the hand-written way: latest table per city for the due date, county rows summed per city. */
const VISITS_SQL = `
  WITH latest AS (
    SELECT s.org_code, s.data FROM submissions s
    WHERE s.form_id = 'visit-statistics' AND s.deleted_at IS NULL AND s.status <> 'draft'
      AND json_extract(s.data, '$.periodDue') = ?
      AND NOT EXISTS (SELECT 1 FROM submissions t WHERE t.form_id = s.form_id AND t.org_code = s.org_code
        AND t.deleted_at IS NULL AND json_extract(t.data, '$.periodDue') = ?
        AND (t.created_at > s.created_at OR (t.created_at = s.created_at AND t.id > s.id))))
  SELECT o.parent_code AS city, sum(json_extract(r.value, '$.visits')) AS visits,
         sum(json_extract(r.value, '$.included')) AS included, sum(json_extract(r.value, '$.casesSolved')) AS cases
  FROM latest, json_each(latest.data, '$.rows') r
  JOIN org_units o ON o.code = json_extract(r.value, '$.county')
  GROUP BY o.parent_code ORDER BY o.parent_code`;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.quick ? 2000 : HOUSEHOLDS;
  // A smoke run builds its small file afresh, so a new migration never meets a stale cache.
  const scratch = opts.quick ? mkdtempSync(join(tmpdir(), 'nuanxin-bench-reports-')) : undefined;
  const file = await reportsDatabase(n, { dir: scratch, log: (s) => process.stderr.write(`${s}\n`) });
  // Whichever reads first must not be the one that pays for a cold file: the cases before this
  // one write gigabytes, which can push the database out of the operating system's cache.
  warmFile(file);
  const sqlite = new SqliteDatabase(file);
  // The page cache the store opens its files with (engine/store/database.ts): with SQLite's
  // default 2 MB the limit re-read pages the report kept, and ran 25–30 % slower at 100,000.
  sqlite.pragma('cache_size = -65536');
  const db = createDatabase(file);
  try {
    const province = await getOrgUnit(db, '510000');
    if (!province) throw new Error('510000 missing');
    const ctx = {
      db,
      decisions: createDecisionProvider({ db, rules: { decisionsAsOf: createDecisionsAsOf() } }),
      forms: async (id: string) => seedForm(id),
      now: () => '2021-07-01T00:00:00.000Z',
      // The registers plugin's service, as the report plugin finds it when both are loaded.
      registers: registersService(loadRegisters(), async () => {}),
      // The rules plugin's decision join, as the report service takes it from the rules service.
      decisionJoin,
    };
    const roster = report('low-income-roster');
    const visits = report('visit-statistics');
    // A full roster run reads a million rows: one run is a long, stable measurement on its own.
    const rounds = opts.quick || n >= 200_000 ? 1 : 3;

    const [engineRoster, ids] = await timed('report plugin: roster (附件3)', rounds, async () => {
      const t = await buildTable(ctx, roster, { period: '2021-06', org: province, viewer: { pii: true } });
      const out: string[] = [];
      for await (const row of t.rows) if (row.kind === 'data') out.push(String(row.cells.idNumber));
      return out;
    });
    const rosterStmt = sqlite.prepare(ROSTER_SQL);
    const [sqlRoster, sqlIds] = await timed('hand-written SQL: roster (limit)', rounds, async () => {
      const out: string[] = [];
      for (const r of rosterStmt.iterate('2021-06-30') as Iterable<{ id: string }>) out.push(r.id);
      return out;
    });
    if (ids.length !== sqlIds.length || [...ids].sort().join() !== [...sqlIds].sort().join())
      throw new Error(`roster: the report lists ${ids.length} families, the SQL ${sqlIds.length}`);

    const due = '2021-06-03';
    const [engineVisits, cities] = await timed('report plugin: 附件1 province roll-up', 5, async () => {
      const t = await buildTable(ctx, visits, { period: due, org: province, viewer: { pii: true } });
      const out: Record<string, number> = {};
      for await (const row of t.rows)
        if (row.kind === 'data') out[String(row.cells.unit)] = Number(row.cells.visits);
      return out;
    });
    const visitsStmt = sqlite.prepare(VISITS_SQL);
    const [sqlVisits, sqlCities] = await timed('hand-written SQL: 附件1 roll-up (limit)', 5, async () =>
      (visitsStmt.all(due, due) as { city: string; visits: number }[]).map((r) => r.visits),
    );
    const engineTotals = Object.values(cities).filter((v) => v > 0);
    if (engineTotals.sort().join() !== [...sqlCities].sort().join())
      throw new Error(`附件1: report ${JSON.stringify(cities)} vs SQL ${JSON.stringify(sqlCities)}`);

    const shared = `${n.toLocaleString('en-US')} households in one SQLite file (bench/.cache), each with its stored decision`;
    return [
      compare(
        '附件3 roster over the province',
        'hand-written SQL: roster (limit)',
        [sqlRoster, engineRoster],
        [
          `${shared}; ${ids.length.toLocaleString('en-US')} families on the roster, the same ones both ways`,
          "both read the households register's typed columns and the typed decision columns (in force on 2021-06-30); indexes as the plugins make them; the file read once before timing (page cache warm for both)",
          'report plugin: the register read through its service in pages of 500 in org-tree order (row-value keyset on owner path, id; only the columns the report reads), the decision in force joined in the same query and the filter (decision.inRoster) said there on its typed column, the filter still judged per row, columns as JSON Logic, option labels; read to the last row (no file written: see the export case)',
          'hand-written SQL: the same page cache as the store (64 MiB)',
        ],
      ),
      compare(
        '附件1 province roll-up',
        'hand-written SQL: 附件1 roll-up (limit)',
        [sqlVisits, engineVisits],
        [
          `${sqlCities.length} cities with figures (the factory's sample), each filed 3 times per due date; latest per city, county rows summed per city; same visit totals both ways`,
        ],
      ),
    ];
  } finally {
    sqlite.close();
    await db.destroy();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
