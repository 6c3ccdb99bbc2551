/**
 * Cross-checks: a monitoring list matched by ID number against the households register, the
 * findings of comparisons/prr-monitoring.json written. Nuanxin's comparison run (the join walked
 * once into a temporary table of the run's rows, each rule that translates to SQL written in SQL,
 * idempotent) against two hand-written SQL joins: one inserting the same findings into a narrow
 * table with two `INSERT … SELECT`, one writing every column of them into a table of the findings
 * table's shape. All run on the same SQLite file (data: `bench/crosschecks-data.ts`); before
 * timing, all must produce the same findings per rule.
 * Size: NUANXIN_BENCH_CROSSCHECK_ROWS list rows against as many households (default 1,000,000;
 * `--quick`: 2,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { createDatabase, migrateToLatest } from '../../engine/entry/server.ts';
import { colName, runComparison } from '../../plugins/crosschecks/index.ts';
import {
  deliverySql,
  generateCrosschecks,
  NOW,
  prepareCrosschecks,
  TODAY,
  villagePath,
} from '../crosschecks-data.ts';
import { type BenchOptions, type BenchResult, compare, type Measurement, measureRows } from '../harness.ts';

export const name = 'crosschecks';
export const description =
  'monitoring list × households register: comparison run (rows/s) vs a hand-written SQL join writing the same findings';

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.quick ? 2000 : Number(process.env.NUANXIN_BENCH_CROSSCHECK_ROWS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'nx-bench-crosschecks-'));
  const file = join(dir, 'bench.db');
  const db = createDatabase(file);
  try {
    await migrateToLatest(db);
    const { list, cmp, table } = await prepareCrosschecks(db);

    // Data (bench/crosschecks-data.ts), written through a connection of its own.
    const raw = new SqliteDatabase(file);
    raw.pragma('journal_mode = WAL');
    // The store's page cache (engine/store/database.ts), so the limit is not handicapped by a smaller one.
    raw.pragma('cache_size = -65536');
    const now = NOW;
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
    const insL = raw.prepare(
      `insert into ${table} (delivery_id, row_no, id_number, area_code, ${colName('idNumber')}, ${colName('areaCode')}, ${colName('monitorType')}, ${colName('inPovertyRegistry')})
       values ('bench', ?, ?, ?, ?, ?, ?, ?)`,
    );
    raw.transaction(() =>
      generateCrosschecks(
        n,
        (h) => {
          insH.run(h.id, h.key, h.village, villagePath(h.village), now, now, h.inPovertyRegistry);
          insK.run(h.key, h.id);
          insM.run(h.key, h.id, 'head');
          insM.run(h.member, h.id, 'member');
        },
        (r) =>
          insL.run(r.rowNo, r.idNumber, r.village, r.idNumber, r.village, r.monitorType, r.inPovertyRegistry),
      ),
    )();
    raw.exec(deliverySql(n));
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
    // CPU seconds of this process too: SQLite runs in it for every side.
    const time = (label: string, fn: () => unknown) => measureRows(label, n, rounds, fn, { cpu: true });
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
