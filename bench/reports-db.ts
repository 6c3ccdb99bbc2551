/**
 * The database the report benchmark reads: Sichuan's divisions (demo/org-units.csv), N generated
 * household surveys filed under the county of the head's ID number, the current
 * household-eligibility decision of each (as the rules plugin stores them), and 附件1 visit
 * statistics of every sample city for every due date, each filed three times (the report keeps
 * the latest). Households and decisions are made in worker threads (`households-worker.ts`). Built once per size and kept under `bench/.cache/` (git-ignored): the tables come
 * from the real migrations, the rows go in through one prepared statement per table.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openWithPlugins } from '../cli/plugins.ts';
import { importOrgUnits, parseOrgUnitsCsv } from '../engine/org/import.ts';
import { ENGINE_VERSION } from '../engine/plugin/engine-version.ts';
import { loadPluginsFromFile } from '../engine/plugin/load-plugins.ts';
import { builtinPlugins } from '../plugins/builtins.ts';
import { ensureRegisterTables, loadRegisters, tableOf, versionsTableOf } from '../plugins/registers/index.ts';
import { HOUSEHOLD_AS_OF } from '../test/factories/household.ts';
import { deriveSeed } from '../test/factories/prng.ts';
import { SICHUAN_CITIES } from '../test/factories/regions.ts';
import { makeVisitStatistics, VISIT_DUE_DATES } from '../test/factories/visit-statistics.ts';
import { householdChunks } from './households-parallel.ts';

const ROOT = join(import.meta.dirname, '..');
export const CACHE_DIR = join(ROOT, 'bench', '.cache');
/** Bump when what the file holds changes, so an old cache is rebuilt rather than misread. */
const LAYOUT = 3;

/** The SQLite file with `households` surveys; built on first use, reused after (unless `fresh`). */
export async function reportsDatabase(
  households: number,
  opts: { dir?: string; log?: (s: string) => void } = {},
): Promise<string> {
  const dir = opts.dir ?? CACHE_DIR;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `reports-${households}-v${LAYOUT}.db`);
  const done = `${file}.done`;
  if (existsSync(done) && existsSync(file)) return file;
  for (const f of [file, `${file}-wal`, `${file}-shm`, done]) rmSync(f, { force: true });
  const started = Date.now();
  opts.log?.(`building ${file} (${households.toLocaleString('en-US')} households, once) …`);

  const plugins = await loadPluginsFromFile(join(ROOT, 'nuanxin.config.json'), {
    engineVersion: ENGINE_VERSION,
    builtins: builtinPlugins,
  });
  const kdb = await openWithPlugins(file, plugins);
  const csv = parseOrgUnitsCsv(readFileSync(join(ROOT, 'demo', 'org-units.csv'), 'utf8'));
  await importOrgUnits(kdb, csv.rows);
  const registers = loadRegisters();
  await ensureRegisterTables(kdb, registers);
  await kdb.destroy();

  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const paths = new Map(
    (db.prepare('SELECT code, path FROM org_units').all() as { code: string; path: string }[]).map((r) => [
      r.code,
      r.path,
    ]),
  );
  const insertSub = db.prepare(
    `INSERT INTO submissions (id, form_id, form_version, org_code, org_path, status, data, version, period,
       created_by, created_at, updated_at, deleted_at)
     VALUES (?, ?, 1, ?, ?, 'submitted', ?, 1, ?, 'bench', ?, ?, NULL)`,
  );
  const insertDecision = db.prepare(
    `INSERT INTO rule_decisions (id, submission_id, ruleset_id, as_of, org_code, outputs, explanation, created_at, created_by)
     VALUES (?, ?, 'household-eligibility', ?, ?, ?, '[]', ?, 'bench')`,
  );
  const at = '2021-06-01T08:00:00.000Z';
  const hex = (n: number) => n.toString(16).padStart(12, '0');
  let i = 0;
  const batch = db.transaction((rows: string[][]) => {
    for (const [org, data, outputs] of rows as [string, string, string][]) {
      const id = `00000000-0000-4000-8000-${hex(i++)}`;
      insertSub.run(id, 'household-survey', org, paths.get(org) as string, data, null, at, at);
      insertDecision.run(`d${id.slice(1)}`, id, HOUSEHOLD_AS_OF, org, outputs, at);
    }
  });
  // Households and their decisions are made on every core; this thread only inserts.
  for await (const chunk of householdChunks({
    kind: 'reports',
    n: households,
    seed: 2021,
    chunk: 10_000,
    paths: [...paths],
  })) {
    if (!('rows' in chunk)) throw new Error('expected rows');
    batch(chunk.rows);
    if (i % 100_000 === 0) opts.log?.(`  ${i.toLocaleString('en-US')} households`);
  }

  // 附件1: every sample city, every due date, filed three times: only the latest counts.
  const visits = db.transaction(() => {
    let n = 0;
    for (const city of SICHUAN_CITIES) {
      for (const due of VISIT_DUE_DATES) {
        for (let round = 0; round < 3; round++) {
          const v = makeVisitStatistics(deriveSeed(n, 7), { city: city.code, periodDue: due });
          const when = `${v.fillDate}T0${round}:00:00.000Z`;
          insertSub.run(
            `00000000-0000-4000-9000-${hex(n++)}`,
            'visit-statistics',
            city.code,
            paths.get(city.code) ?? `/510000/${city.code}/`,
            JSON.stringify(v),
            null,
            when,
            when,
          );
        }
      }
    }
  });
  visits();
  fillRegister(db, registers);
  opts.log?.('  households register and typed decision columns filled');
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  writeFileSync(done, `${new Date().toISOString()}\n`);
  opts.log?.(`  built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return file;
}

/**
 * The households register as the registers plugin leaves it after one survey per family: a record
 * per head's ID number (the first survey of a repeated number wins), its one version in the typed
 * versions table dated by the survey, its `active` status from that day; and the decisions' typed
 * columns (in_roster, hardship_type, per_capita_fen …) as the rules plugin writes them.
 */
function fillRegister(db: SqliteDatabase.Database, defs: ReturnType<typeof loadRegisters>): void {
  const def = defs.find((d) => d.id === 'households');
  const binding = def?.forms.find((f) => f.form === 'household-survey');
  if (!def || !binding) throw new Error('households register or its binding missing');
  const props = def.properties.filter((p) => binding.properties[p.id] !== undefined);
  const cols = props.map((p) => `"${p.id}"`).join(', ');
  const values = props.map((p) => `json_extract(s.data, '$.${binding.properties[p.id]}')`).join(', ');
  const fill = db.transaction(() => {
    db.exec(`INSERT OR IGNORE INTO "${tableOf(def)}" (id, key, status, status_reason, owner_org_code, owner_org_path,
        current_version, open_conflicts, merged_into, current_submission, created_at, updated_at, ${cols})
      SELECT 'households_' || s.rowid, upper(json_extract(s.data, '$.${binding.key}')), 'active', NULL, s.org_code,
        s.org_path, 1, 0, NULL, s.id, s.created_at, s.created_at, ${values}
      FROM submissions s WHERE s.form_id = 'household-survey' ORDER BY s.rowid`);
    db.exec(`INSERT INTO "${versionsTableOf(def)}" (id, record_id, version, seq, effective, submission_id, ${cols})
      SELECT r.id || ':1', r.id, 1, s.rowid, json_extract(s.data, '$.surveyDate'), s.id, ${props.map((p) => `r."${p.id}"`).join(', ')}
      FROM "${tableOf(def)}" r JOIN submissions s ON s.id = r.current_submission`);
    db.exec(`INSERT INTO register_statuses (id, register_id, record_id, seq, status, reason, effective, actor, at)
      SELECT r.id || ':' || s.rowid, 'households', r.id, s.rowid, 'active', NULL,
        json_extract(s.data, '$.surveyDate'), 'bench', s.created_at
      FROM "${tableOf(def)}" r JOIN submissions s ON s.id = r.current_submission`);
    db.exec(
      `INSERT INTO register_keys (register_id, key, record_id) SELECT 'households', key, id FROM "${tableOf(def)}"`,
    );
    db.exec(`UPDATE rule_decisions SET subject_type = 'submission', subject_id = submission_id,
        in_roster = CASE json_type(outputs, '$.inRoster') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END,
        dibao_candidate = CASE json_type(outputs, '$.dibaoCandidate') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END,
        hardship_type = json_extract(outputs, '$.hardshipType'),
        entitlement_fen = CAST(round(json_extract(outputs, '$.entitlement') * 100) AS INTEGER),
        per_capita_fen = CAST(round(json_extract(outputs, '$.perCapitaMonthlyIncome') * 100) AS INTEGER)`);
  });
  fill();
}
