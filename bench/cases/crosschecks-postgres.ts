/**
 * Cross-checks on PostgreSQL: the same data, comparison and limits as `crosschecks.ts`, in a
 * database created for the run (and dropped after) on the server of `NUANXIN_BENCH_PG_URL`, else
 * `NUANXIN_TEST_PG_URL`; skipped without either. Wall time only: the work is done by the server,
 * not this process. Size: NUANXIN_BENCH_CROSSCHECK_PG_ROWS list rows against as many households
 * (default 200,000; `--quick`: 2,000).
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database, migrateToLatest } from '../../engine/entry/server.ts';
import { colName, runComparison } from '../../plugins/crosschecks/index.ts';
import {
  COUNTY_PATH,
  deliverySql,
  type GeneratedHousehold,
  type GeneratedRow,
  generateCrosschecks,
  NOW,
  prepareCrosschecks,
  TODAY,
  villagePath,
} from '../crosschecks-data.ts';
import { type BenchOptions, type BenchResult, compare, measureRows } from '../harness.ts';

export const name = 'crosschecks-postgres';
export const description =
  'the crosschecks case on PostgreSQL (NUANXIN_BENCH_PG_URL or NUANXIN_TEST_PG_URL; skipped without)';

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
const BATCH = 2000;

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Writes the generated data in multi-row inserts of `BATCH` rows. */
async function fill(db: Kysely<Database>, n: number, table: string): Promise<void> {
  const adb = db as unknown as AnyDb;
  const households: GeneratedHousehold[] = [];
  const rows: GeneratedRow[] = [];
  generateCrosschecks(
    n,
    (h) => households.push(h),
    (r) => rows.push(r),
  );
  for (let i = 0; i < n; i += BATCH) {
    const part = households.slice(i, i + BATCH);
    await adb
      .insertInto('register_households')
      .values(
        part.map((h) => ({
          id: h.id,
          key: h.key,
          status: 'active',
          owner_org_code: h.village,
          owner_org_path: villagePath(h.village),
          current_version: 1,
          open_conflicts: 0,
          created_at: NOW,
          updated_at: NOW,
          inPovertyRegistry: h.inPovertyRegistry,
        })),
      )
      .execute();
    await adb
      .insertInto('register_keys')
      .values(part.map((h) => ({ register_id: 'households', key: h.key, record_id: h.id })))
      .execute();
    await adb
      .insertInto('register_members')
      .values(
        part.flatMap((h) => [
          { register_id: 'households', id_number: h.key, record_id: h.id, role: 'head' },
          { register_id: 'households', id_number: h.member, record_id: h.id, role: 'member' },
        ]),
      )
      .execute();
  }
  for (let i = 0; i < n; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    await adb
      .insertInto(table)
      .values(
        part.map((r) => ({
          delivery_id: 'bench',
          row_no: r.rowNo,
          id_number: r.idNumber,
          area_code: r.village,
          [colName('idNumber')]: r.idNumber,
          [colName('areaCode')]: r.village,
          [colName('monitorType')]: r.monitorType,
          [colName('inPovertyRegistry')]: r.inPovertyRegistry,
        })),
      )
      .execute();
  }
  await sql.raw(deliverySql(n)).execute(db);
  await sql`analyze`.execute(db);
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const adminUrl = process.env.NUANXIN_BENCH_PG_URL ?? process.env.NUANXIN_TEST_PG_URL;
  if (!adminUrl) {
    console.log('  skipped: set NUANXIN_BENCH_PG_URL (or NUANXIN_TEST_PG_URL) to a PostgreSQL server');
    return [];
  }
  const n = opts.quick ? 2000 : Number(process.env.NUANXIN_BENCH_CROSSCHECK_PG_ROWS ?? 200_000);
  const dbName = `nx_bench_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${dbName}`));
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const db = createDatabase(u.toString());
  try {
    await migrateToLatest(db);
    const { list, cmp, table } = await prepareCrosschecks(db);
    await fill(db, n, table);
    const scope = `${COUNTY_PATH}%`;
    const l = (c: string) => sql.ref(`l.${colName(c)}`);
    const never = sql`l.delivery_id = 'bench' and r.id is null`;
    const fromNever = sql`${sql.table(table)} l
      left join register_members m on m.register_id = 'households' and m.id_number = l.id_number
      left join register_keys k on m.record_id is null and k.register_id = 'households' and k.key = l.id_number
      left join register_households r on r.id = coalesce(m.record_id, k.record_id) and r.owner_org_path like ${scope}`;
    const mismatch = sql`l.delivery_id = 'bench' and r.status = 'active' and ${l('inPovertyRegistry')} = 1
      and coalesce(r."inPovertyRegistry", 0) = 0`;
    const fromMismatch = sql`${sql.table(table)} l
      join register_members m on m.register_id = 'households' and m.id_number = l.id_number
      join register_households r on r.id = m.record_id and r.owner_org_path like ${scope}`;
    await sql`create table bench_findings (rule_id text, subject text, owner_org_code text, owner_org_path text, due_date text)`.execute(
      db,
    );
    await sql`create table bench_findings_full (like crosscheck_findings including all)`.execute(db);
    const handWritten = async () => {
      await sql`delete from bench_findings`.execute(db);
      await sql`insert into bench_findings select distinct 'never-surveyed', l.id_number, l.area_code,
          ${`${COUNTY_PATH}511923102/`} || l.area_code || '/', '2021-07-16' from ${fromNever} where ${never}`.execute(
        db,
      );
      await sql`insert into bench_findings select distinct 'registry-mismatch', l.id_number, r.owner_org_code,
          r.owner_org_path, '2021-07-31' from ${fromMismatch} where ${mismatch}`.execute(db);
    };
    const cols = sql`id, comparison_id, rule_id, list_id, subject, record_id, delivery_id, type, severity, compared,
      fingerprint, owner_org_code, owner_org_path, status, due_date, created_at, updated_at`;
    const neverJson = sql`json_build_object('list.monitorType', ${l('monitorType')}, 'list.areaCode', ${l('areaCode')})::text`;
    const mismatchJson = sql`json_build_object('list.inPovertyRegistry', ${l('inPovertyRegistry')} = 1,
      'register.inPovertyRegistry', coalesce(r."inPovertyRegistry", 0) = 1)::text`;
    const handWrittenFull = async () => {
      await sql`delete from bench_findings_full`.execute(db);
      await sql`insert into bench_findings_full (${cols})
        select 'fd_hand00' || lpad(to_hex(l.row_no), 8, '0'), 'prr-monitoring', 'never-surveyed', 'prr-monitoring',
          l.id_number, null, 'bench', 'survey', 'high', ${neverJson}, ${neverJson}, l.area_code,
          ${`${COUNTY_PATH}511923102/`} || l.area_code || '/', 'open', '2021-07-16', ${NOW}, ${NOW}
        from ${fromNever} where ${never} on conflict do nothing`.execute(db);
      await sql`insert into bench_findings_full (${cols})
        select 'fd_hand01' || lpad(to_hex(l.row_no), 8, '0'), 'prr-monitoring', 'registry-mismatch', 'prr-monitoring',
          l.id_number, r.id, 'bench', 'review', 'medium', ${mismatchJson}, ${mismatchJson}, r.owner_org_code,
          r.owner_org_path, 'open', '2021-07-31', ${NOW}, ${NOW}
        from ${fromMismatch} where ${mismatch} on conflict do nothing`.execute(db);
    };
    let result: Awaited<ReturnType<typeof runComparison>> | undefined;
    const engine = async () => {
      await sql`delete from crosscheck_findings`.execute(db);
      result = await runComparison(db, cmp, list, 'bench', { actor: 'bench', today: TODAY });
    };
    const rounds = opts.quick ? 3 : 1;
    const time = (label: string, fn: () => Promise<unknown>) => measureRows(label, n, rounds, fn);
    const narrow = await time('hand-written SQL join + INSERT … SELECT (limit)', handWritten);
    const full = await time('hand-written, writing the same finding rows (limit)', handWrittenFull);
    const first = await time('Nuanxin runComparison (prr-monitoring)', engine);
    const counts = async (t: string) =>
      JSON.stringify(
        (
          await sql<{ rule_id: string; n: string }>`select rule_id, count(*) as n from ${sql.table(t)}
            group by rule_id order by rule_id`.execute(db)
        ).rows.map((r) => [r.rule_id, Number(r.n)]),
      );
    const mine = await counts('crosscheck_findings');
    for (const t of ['bench_findings', 'bench_findings_full']) {
      const theirs = await counts(t);
      if (theirs !== mine) throw new Error(`findings differ: nuanxin ${mine}, ${t} ${theirs}`);
    }
    const again = await time('Nuanxin runComparison, same delivery again (idempotent)', () =>
      runComparison(db, cmp, list, 'bench', { actor: 'bench', today: TODAY }),
    );
    const size = `${n.toLocaleString('en-US')} rows × ${n.toLocaleString('en-US')} households`;
    return [
      compare(
        `crosschecks on PostgreSQL (${size})`,
        narrow.name,
        [narrow, first, again],
        [`findings: ${mine}; matched ${result?.matched} of ${result?.rows} rows`],
      ),
      compare(`crosschecks on PostgreSQL, the same finding rows written (${size})`, full.name, [
        full,
        first,
        again,
      ]),
    ];
  } finally {
    await db.destroy();
    await admin(adminUrl, (c) => c.query(`drop database if exists ${dbName} with (force)`));
  }
}
