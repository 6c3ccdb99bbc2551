/**
 * Cross-checks: a monitoring list matched by ID number against the households register, the
 * findings of comparisons/prr-monitoring.json written. Nuanxin's comparison run (the join walked
 * once into a temporary table of the run's rows, each rule that translates to SQL written by one
 * INSERT … SELECT … ON CONFLICT, idempotent) against a
 * hand-written SQL join that inserts the same finding rows with two `INSERT … SELECT`. Both run
 * on the same SQLite file; before timing, both must produce the same findings per rule.
 * Size: NUANXIN_BENCH_CROSSCHECK_ROWS list rows against as many households (default 1,000,000;
 * `--quick`: 2,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import {
  createDatabase,
  importOrgUnits,
  migratePlugins,
  migrateToLatest,
} from '../../engine/entry/server.ts';
import {
  CROSSCHECKS_MIGRATIONS,
  colName,
  ensureListTable,
  listTableOf,
  loadCatalog,
  runComparison,
} from '../../plugins/crosschecks/index.ts';
import { ensureRegisterTable, loadRegisters, REGISTERS_MIGRATIONS } from '../../plugins/registers/index.ts';
import { mulberry32 } from '../../test/factories/prng.ts';
import { type BenchOptions, type BenchResult, compare, type Measurement } from '../harness.ts';

export const name = 'crosschecks';
export const description =
  'monitoring list × households register: comparison run (rows/s) vs a hand-written SQL join writing the same findings';

const VILLAGES = ['511923102201', '511923102202', '511923102203', '511923102204'];
const TODAY = '2021-07-01';

/** A synthetic 18-character ID number (unique per n; the comparison never checks digits). */
const idOf = (n: number) => `5119231960${String(n).padStart(7, '0')}X`;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.quick ? 2000 : Number(process.env.NUANXIN_BENCH_CROSSCHECK_ROWS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'nx-bench-crosschecks-'));
  const file = join(dir, 'bench.db');
  const db = createDatabase(file);
  try {
    await migrateToLatest(db);
    await importOrgUnits(db, [
      { code: '510000', name: '四川省', parent: null, level: 'province' },
      { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
      { code: '511923', name: '平昌县', parent: '511900', level: 'county' },
      { code: '511923102', name: '白衣镇', parent: '511923', level: 'township' },
      ...VILLAGES.map((code, i) => ({
        code,
        name: `村${i}`,
        parent: '511923102',
        level: 'village' as const,
      })),
    ]);
    await migratePlugins(db, {
      migrations: [
        { pluginName: 'registers', migrations: REGISTERS_MIGRATIONS },
        { pluginName: 'crosschecks', migrations: CROSSCHECKS_MIGRATIONS },
      ],
    });
    const households = loadRegisters().find((d) => d.id === 'households');
    const catalog = loadCatalog();
    const list = catalog.list('prr-monitoring');
    const cmp = catalog.comparisons.find((c) => c.id === 'prr-monitoring');
    if (!households || !cmp) throw new Error('shipped definitions missing');
    await ensureRegisterTable(db, households);
    await ensureListTable(db, list);

    // Data: n households (head + one member each), a list of n rows: 80 % registered people
    // (heads and members), 20 % never surveyed.
    const raw = new SqliteDatabase(file);
    raw.pragma('journal_mode = WAL');
    // The store's page cache (engine/store/database.ts), so the limit is not handicapped by a smaller one.
    raw.pragma('cache_size = -65536');
    const rng = mulberry32(11);
    const now = '2021-06-01T00:00:00.000Z';
    const insH = raw.prepare(
      `insert into register_households (id, key, status, owner_org_code, owner_org_path, current_version, open_conflicts, created_at, updated_at, "inPovertyRegistry")
       values (?, ?, 'active', ?, ?, 1, 0, ?, ?, ?)`,
    );
    const insM = raw.prepare(
      "insert into register_members (register_id, id_number, record_id, role) values ('households', ?, ?, ?)",
    );
    const insK = raw.prepare(
      "insert into register_keys (register_id, key, record_id) values ('households', ?, ?)",
    );
    const table = listTableOf(list);
    const insL = raw.prepare(
      `insert into ${table} (delivery_id, row_no, id_number, area_code, ${colName('idNumber')}, ${colName('areaCode')}, ${colName('monitorType')}, ${colName('inPovertyRegistry')})
       values ('bench', ?, ?, ?, ?, ?, ?, ?)`,
    );
    raw.transaction(() => {
      for (let i = 0; i < n; i++) {
        const v = VILLAGES[i % VILLAGES.length] as string;
        const id = `households_${i}`;
        insH.run(
          id,
          idOf(2 * i),
          v,
          `/510000/511900/511923/511923102/${v}/`,
          now,
          now,
          rng.chance(0.4) ? 1 : 0,
        );
        insK.run(idOf(2 * i), id);
        insM.run(idOf(2 * i), id, 'head');
        insM.run(idOf(2 * i + 1), id, 'member');
      }
      for (let r = 0; r < n; r++) {
        const registered = rng.chance(0.8);
        const person = registered ? rng.int(0, 2 * n - 1) : 2 * n + r;
        const id = idOf(person);
        const v = VILLAGES[r % VILLAGES.length] as string;
        insL.run(r + 2, id, v, id, v, rng.pick(['unstable', 'marginal', 'sudden']), rng.chance(0.6) ? 1 : 0);
      }
    })();
    raw.exec(`insert into crosscheck_deliveries (id, list_id, list_version, content_hash, org_code, org_path, file_name, rows, rejected, imported_by, imported_at, valid_until)
      values ('bench', 'prr-monitoring', 1, 'bench', '511923', '/510000/511900/511923/', null, ${n}, 0, 'bench', '${now}', '2021-09-29')`);
    raw.exec(
      'create table bench_findings (rule_id text, subject text, owner_org_code text, owner_org_path text, due_date text)',
    );
    raw.exec('analyze');
    // The data is written back into the file before anything is timed: whoever commits first would
    // otherwise copy the generated gigabyte from the write-ahead log.
    raw.pragma('wal_checkpoint(TRUNCATE)');

    // Note: the same person may be listed twice in the generated list (a random registered
    // person): both sides keep one finding per rule and person.
    const handWritten = () => {
      raw.exec('delete from bench_findings');
      raw.exec(`insert into bench_findings
        select distinct 'never-surveyed', l.id_number, l.area_code, '/510000/511900/511923/511923102/' || l.area_code || '/', '2021-07-16'
        from ${table} l
        left join register_members m on m.register_id = 'households' and m.id_number = l.id_number
        left join register_keys k on m.record_id is null and k.register_id = 'households' and k.key = l.id_number
        left join register_households r on r.id = coalesce(m.record_id, k.record_id) and r.owner_org_path like '/510000/511900/511923/%'
        where l.delivery_id = 'bench' and r.id is null`);
      raw.exec(`insert into bench_findings
        select distinct 'registry-mismatch', l.id_number, r.owner_org_code, r.owner_org_path, '2021-07-31'
        from ${table} l
        join register_members m on m.register_id = 'households' and m.id_number = l.id_number
        join register_households r on r.id = m.record_id and r.owner_org_path like '/510000/511900/511923/%'
        where l.delivery_id = 'bench' and r.status = 'active' and l.${colName('inPovertyRegistry')} = 1 and coalesce(r."inPovertyRegistry", 0) = 0`);
    };
    // The same, writing what the engine writes: every column of a finding (its compared values as
    // JSON, twice, as compared text and fingerprint) into a table of the findings table's shape,
    // with its key and indexes. A person listed twice keeps the first row (`on conflict do nothing`).
    for (const row of raw
      .prepare("select sql from sqlite_master where tbl_name = 'crosscheck_findings' and sql is not null")
      .all() as { sql: string }[])
      raw.exec(row.sql.replaceAll('crosscheck_findings', 'bench_findings_full'));
    const fullColumns = `id, comparison_id, rule_id, list_id, subject, record_id, delivery_id, type, severity, compared,
      fingerprint, owner_org_code, owner_org_path, status, due_date, created_at, updated_at`;
    const bool = (c: string) =>
      `json(case when ${c} is null then 'null' when ${c} = 1 then 'true' else 'false' end)`;
    const never = `json_object('list.monitorType', l.${colName('monitorType')}, 'list.areaCode', l.${colName('areaCode')})`;
    const mismatch = `json_object('list.inPovertyRegistry', ${bool(`l.${colName('inPovertyRegistry')}`)},
      'register.inPovertyRegistry', ${bool('r."inPovertyRegistry"')})`;
    const handWrittenFull = () => {
      raw.exec('delete from bench_findings_full');
      raw.exec(`insert into bench_findings_full (${fullColumns})
        select 'fd_hand00' || printf('%08x', l.row_no), 'prr-monitoring', 'never-surveyed', 'prr-monitoring', l.id_number,
          null, 'bench', 'survey', 'high', ${never}, ${never}, l.area_code,
          '/510000/511900/511923/511923102/' || l.area_code || '/', 'open', '2021-07-16', '${now}', '${now}'
        from ${table} l
        left join register_members m on m.register_id = 'households' and m.id_number = l.id_number
        left join register_keys k on m.record_id is null and k.register_id = 'households' and k.key = l.id_number
        left join register_households r on r.id = coalesce(m.record_id, k.record_id) and r.owner_org_path like '/510000/511900/511923/%'
        where l.delivery_id = 'bench' and r.id is null
        on conflict do nothing`);
      raw.exec(`insert into bench_findings_full (${fullColumns})
        select 'fd_hand01' || printf('%08x', l.row_no), 'prr-monitoring', 'registry-mismatch', 'prr-monitoring', l.id_number,
          r.id, 'bench', 'review', 'medium', ${mismatch}, ${mismatch}, r.owner_org_code, r.owner_org_path, 'open', '2021-07-31', '${now}', '${now}'
        from ${table} l
        join register_members m on m.register_id = 'households' and m.id_number = l.id_number
        join register_households r on r.id = m.record_id and r.owner_org_path like '/510000/511900/511923/%'
        where l.delivery_id = 'bench' and r.status = 'active' and l.${colName('inPovertyRegistry')} = 1 and coalesce(r."inPovertyRegistry", 0) = 0
        on conflict do nothing`);
    };
    const engine = async () => {
      await sql`delete from crosscheck_findings`.execute(db);
      return runComparison(db, cmp, list, 'bench', { actor: 'bench', today: TODAY });
    };

    // Timed: one round each at full size (a round is minutes), three when quick; the answers of
    // the first rounds are compared before anything is printed.
    const rounds = opts.quick ? 3 : 1;
    let result: Awaited<ReturnType<typeof engine>> | undefined;
    const time = async (label: string, fn: () => unknown): Promise<Measurement> => {
      const per: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        await fn();
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        const c = process.cpuUsage(c0);
        per.push(n / s);
        cpu.push((c.user + c.system) / 1e6);
      }
      cpu.sort((a, b) => a - b);
      per.sort((a, b) => a - b);
      const med = per[per.length >> 1] as number;
      return {
        name: label,
        opsPerSec: med,
        rounds: per,
        unit: 'rows/s',
        // CPU seconds of this process (SQLite runs in it for both engines): steadier than wall
        // time on a shared machine.
        detail: `${(n / med).toFixed(2)} s, cpu ${(cpu[cpu.length >> 1] as number).toFixed(2)} s`,
      };
    };
    const rows = [
      await time('hand-written SQL join + INSERT … SELECT (limit)', handWritten),
      await time('hand-written, writing the same finding rows (limit)', handWrittenFull),
      await time('Nuanxin runComparison (prr-monitoring)', async () => {
        result = await engine();
      }),
    ];
    const counts = (q: string) =>
      Object.fromEntries(
        (raw.prepare(q).all() as { rule_id: string; n: number }[]).map((r) => [r.rule_id, r.n]),
      );
    const mine = counts(
      'select rule_id, count(*) as n from crosscheck_findings group by rule_id order by rule_id',
    );
    for (const limit of ['bench_findings', 'bench_findings_full']) {
      const theirs = counts(`select rule_id, count(*) as n from ${limit} group by rule_id order by rule_id`);
      if (JSON.stringify(mine) !== JSON.stringify(theirs))
        throw new Error(
          `findings differ: nuanxin ${JSON.stringify(mine)}, ${limit} ${JSON.stringify(theirs)}`,
        );
      const diff = raw
        .prepare(
          `select count(*) as n from (select rule_id, subject, owner_org_code from crosscheck_findings
             except select rule_id, subject, owner_org_code from ${limit})`,
        )
        .get() as { n: number };
      if (diff.n !== 0) throw new Error(`${diff.n} findings differ between the engine and ${limit}`);
    }
    rows.push(
      await time('Nuanxin runComparison, same delivery again (idempotent)', () =>
        runComparison(db, cmp, list, 'bench', { actor: 'bench', today: TODAY }),
      ),
    );
    raw.close();
    const size = `${n.toLocaleString('en-US')} rows × ${n.toLocaleString('en-US')} households`;
    const [narrow, full, ...engineRows] = rows as [Measurement, Measurement, ...Measurement[]];
    return [
      compare(
        `crosschecks (${size})`,
        narrow.name,
        [narrow, ...engineRows],
        [`findings: ${JSON.stringify(mine)}; matched ${result?.matched} of ${result?.rows} rows`],
      ),
      compare(`crosschecks, the same finding rows written (${size})`, full.name, [full, ...engineRows]),
    ];
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
