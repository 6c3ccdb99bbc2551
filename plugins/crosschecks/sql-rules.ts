import { type Kysely, type RawBuilder, sql } from 'kysely';
import { collectVars } from '../../engine/entry/runtime.ts';
import { type Database, unitPathSql } from '../../engine/entry/server.ts';
import type { JoinReader } from './comparison-read.ts';
import type { ComparisonRule } from './comparison-schema.ts';
import { ruleExact } from './rule-sql.ts';

/**
 * Rules evaluated entirely in SQL. Where a rule's condition translates exactly (`rule-sql.ts`)
 * and every compared value has a JSON text SQL writes as JavaScript does (`comparison-read.ts`),
 * its findings are written in SQL, the compared values and their fingerprint (the compared
 * values' JSON text) built there: no row is carried into JavaScript. The join is walked once per
 * run into a temporary table of the run's rows (one per list row, keyed by ID number and row,
 * holding only what the SQL rules read), which the counts, each rule's findings and the clearing
 * of findings no longer produced then read. Per rule, two statements: closed findings whose values
 * changed open again (`UPDATE … RETURNING`, for their audit entries), then one `INSERT … SELECT …
 * ON CONFLICT DO UPDATE` writes the new findings and the open ones whose values changed, counted
 * without reading rows back. An unchanged finding is not written. What does not translate runs in
 * JavaScript (`run-comparison.ts`), with the same results (tested with both).
 */

const ROWS = 'crosscheck_run_rows';

export interface SqlRule {
  readonly index: number;
  readonly rule: ComparisonRule;
  /** True exactly where the condition holds on the run's row `x`. */
  readonly holds: RawBuilder<unknown>;
  /** Holds on `x` and on no later row of the same person (the row whose values the finding shows). */
  readonly last: RawBuilder<unknown>;
  /** The compared values' JSON text (`JSON.stringify` of `comparedValues`). */
  readonly compared: RawBuilder<unknown>;
  /** The values it reads (`list.…`, `register.…`, `match.role`, …). */
  readonly paths: readonly string[];
}

/** The rules of `rules` that run in SQL, by their index. */
export function sqlRules(reader: JoinReader, rules: readonly ComparisonRule[]): SqlRule[] {
  const here = reader.rowValues('x');
  const exact = ruleExact((p) => here.get(p), reader.rowMatched('x'));
  const there = reader.rowValues('x2');
  const exactLater = ruleExact((p) => there.get(p), reader.rowMatched('x2'));
  const out: SqlRule[] = [];
  rules.forEach((rule, index) => {
    const holds = exact(rule);
    const later = exactLater(rule);
    if (!holds || !later) return;
    const parts: RawBuilder<unknown>[] = [];
    for (const path of new Set(rule.compare)) {
      const json = here.get(path)?.json;
      if (!json) return;
      parts.push(sql`${sql.lit(`${parts.length ? ',' : ''}${JSON.stringify(path)}:`)} || ${json}`);
    }
    const compared = parts.length === 0 ? sql`'{}'` : sql`'{' || ${sql.join(parts, sql` || `)} || '}'`;
    const last = sql`${holds} and not exists (select 1 from ${sql.table(ROWS)} x2
      where x2.id_number = x.id_number and x2.row_no > x.row_no and ${later})`;
    const paths = [...new Set([...collectVars(rule.when), ...rule.compare])];
    out.push({ index, rule, holds, last, compared, paths });
  });
  return out;
}

export interface SqlRunContext {
  readonly reader: JoinReader;
  readonly comparison: string;
  readonly list: string;
  readonly deliveryId: string;
  readonly delivery: { readonly orgCode: string; readonly orgPath: string };
  /** `${delivery org path}%` */
  readonly scope: string;
  /** New findings' ids begin with this and the rule's index (`writeFindings`). */
  readonly idPrefix: string;
  readonly now: string;
}

/**
 * Walks the join once into the run's rows (a temporary table, dropped by `dropRunRows`), with the
 * values `rules` read.
 */
export async function fillRunRows(
  db: Kysely<Database>,
  ctx: SqlRunContext,
  rules: readonly SqlRule[],
): Promise<void> {
  const { reader } = ctx;
  await dropRunRows(db);
  const rows = reader.runRows(new Set(rules.flatMap((r) => r.paths)));
  const select = sql`select ${rows.select} from ${reader.fromAll} where ${reader.where}`;
  if (reader.postgres) {
    await sql`create temporary table ${sql.table(ROWS)} on commit drop as ${select}`.execute(db);
    await sql`create index ${sql.id(`${ROWS}_person`)} on ${sql.table(ROWS)} (id_number, row_no)`.execute(db);
    await sql`analyze ${sql.table(ROWS)}`.execute(db);
    return;
  }
  // SQLite: keyed by (ID number, row) without a rowid, filled in that order (the join walks the
  // list table in it): no index to build afterwards.
  const cols = sql.join(rows.columns.map((c) => sql.id(c)));
  await sql`create temporary table ${sql.table(ROWS)} (${cols}, primary key (id_number, row_no)) without rowid`.execute(
    db,
  );
  await sql`insert into ${sql.table(ROWS)} (${cols}) ${select}`.execute(db);
}

export async function dropRunRows(db: Kysely<Database>): Promise<void> {
  await sql`drop table if exists ${sql.table(ROWS)}`.execute(db);
}

/** Rows compared, rows matched and, per SQL rule, the rows where it holds. */
export async function countRows(
  db: Kysely<Database>,
  ctx: SqlRunContext,
  rules: readonly SqlRule[],
): Promise<{ rows: number; matched: number; holding: number[] }> {
  const cols = [
    sql`count(*) as n`,
    sql`coalesce(sum(case when ${ctx.reader.rowMatched('x')} then 1 else 0 end), 0) as m`,
    ...rules.map(
      (r, i) => sql`coalesce(sum(case when ${r.holds} then 1 else 0 end), 0) as ${sql.id(`h${i}`)}`,
    ),
  ];
  const row = (
    await sql<Record<string, unknown>>`select ${sql.join(cols)} from ${sql.table(ROWS)} x`.execute(db)
  ).rows[0];
  return {
    rows: Number(row?.n ?? 0),
    matched: Number(row?.m ?? 0),
    holding: rules.map((_, i) => Number(row?.[`h${i}`] ?? 0)),
  };
}

/** The open findings of the rule, owned under the delivery's unit, that this delivery no longer produces. */
export async function goneFindings(db: Kysely<Database>, ctx: SqlRunContext, r: SqlRule): Promise<string[]> {
  const rows = (
    await sql<{ id: string }>`select f.id from crosscheck_findings f
      where f.comparison_id = ${ctx.comparison} and f.rule_id = ${r.rule.id} and f.status = 'open'
        and f.owner_org_path like ${ctx.scope}
        and not exists (select 1 from ${sql.table(ROWS)} x where x.id_number = f.subject and ${r.holds})
      order by f.id`.execute(db)
  ).rows;
  return rows.map((x) => x.id);
}

/** What a rule's writes did: findings created, open ones updated, closed ones opened again. */
export interface RuleWrites {
  readonly created: number;
  readonly updated: number;
  /** The findings opened again, with their compared text and owner (for their audit entries). */
  readonly reopened: { id: string; compared: string; owner_org_path: string }[];
}

/**
 * Writes the rule's findings (due `dueDate` when new or opened again). A finding is written where
 * its compared text changed, or where it was owned outside the delivery's unit (this delivery
 * takes it over); a closed one so written opens again. New findings' ids are the run's prefix,
 * the rule's index and their place in ID-number order (hex), so they are written in key order
 * and counted by that prefix afterwards.
 */
export async function writeFindings(
  db: Kysely<Database>,
  ctx: SqlRunContext,
  r: SqlRule,
  dueDate: string,
): Promise<RuleWrites> {
  const { postgres } = ctx.reader;
  const prefix = `${ctx.idPrefix}${r.index.toString(16).padStart(2, '0')}`;
  // The row's unit inside the run's scope (`scope` is the delivery's path with LIKE's `%` after it).
  const areaPath = unitPathSql(sql.ref('x.area_code'), ctx.scope.replace(/%$/, ''));
  const text = (v: string) => sql`cast(${v} as text)`;
  const fromRecord = sql`x.r_id is not null`;
  const ownerCode = sql`case when ${fromRecord} then x.r_owner_org_code when ${areaPath} is not null then x.area_code
    else ${text(ctx.delivery.orgCode)} end`;
  const ownerPath = sql`case when ${fromRecord} then x.r_owner_org_path
    else coalesce(${areaPath}, ${text(ctx.delivery.orgPath)}) end`;
  const f = sql.table('crosscheck_findings');
  // A closed finding of this rule whose person's last row where it holds gives other values, or
  // that was owned outside the delivery's unit (correlated with the finding updated).
  const ofFinding = sql`x.id_number = crosscheck_findings.subject`;
  const reopened = (
    await sql<{
      id: string;
      compared: string;
      owner_org_path: string;
    }>`update ${f} set (compared, fingerprint,
        delivery_id, record_id, owner_org_code, owner_org_path, updated_at, status, resolution, reason, closed_at,
        closed_by, due_date) = (select ${r.compared}, ${r.compared}, ${text(ctx.deliveryId)}, x.r_id, ${ownerCode},
          ${ownerPath}, ${text(ctx.now)}, 'open', null, null, null, null, ${text(dueDate)}
          from ${sql.table(ROWS)} x where ${ofFinding} and ${r.last})
      where comparison_id = ${ctx.comparison} and rule_id = ${r.rule.id} and status <> 'open'
        and exists (select 1 from ${sql.table(ROWS)} x where ${ofFinding} and ${r.last}
          and (${r.compared} <> crosscheck_findings.fingerprint or crosscheck_findings.owner_org_path not like ${ctx.scope}))
      returning id, compared, owner_org_path`.execute(db)
  ).rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seq = sql`row_number() over (order by x.id_number, x.row_no)`;
  const hex = postgres ? sql`lpad(to_hex(x.seq), 8, '0')` : sql`printf('%08x', x.seq)`;
  const written =
    await sql`insert into ${f} (id, comparison_id, rule_id, list_id, subject, record_id, delivery_id,
        type, severity, compared, fingerprint, owner_org_code, owner_org_path, status, resolution, reason, due_date,
        created_at, updated_at, closed_at, closed_by)
      select ${text(prefix)} || ${hex}, ${text(ctx.comparison)}, ${text(r.rule.id)}, ${text(ctx.list)},
        x.id_number, x.r_id, ${text(ctx.deliveryId)}, ${text(r.rule.type)}, ${text(r.rule.severity)},
        x.compared, x.compared, ${ownerCode}, ${ownerPath},
        'open', null, null, ${text(dueDate)}, ${text(ctx.now)}, ${text(ctx.now)}, null, null
      from (select x.*, ${r.compared} as compared, ${seq} as seq from ${sql.table(ROWS)} x where ${r.last}) x
      where true
      on conflict (comparison_id, rule_id, subject) do update set
        compared = excluded.compared, fingerprint = excluded.fingerprint, delivery_id = excluded.delivery_id,
        record_id = excluded.record_id, owner_org_code = excluded.owner_org_code,
        owner_org_path = excluded.owner_org_path, updated_at = excluded.updated_at
      where crosscheck_findings.status = 'open' and (crosscheck_findings.fingerprint <> excluded.fingerprint
        or crosscheck_findings.owner_org_path not like ${ctx.scope})`.execute(db);
  // New ids begin with the rule's prefix (hex digits follow it): on SQLite a range of the key; on
  // PostgreSQL, whose text order follows the database's collation, the rule's findings are read.
  const isNew = postgres
    ? sql`comparison_id = ${ctx.comparison} and rule_id = ${r.rule.id} and left(id, ${prefix.length}) = ${prefix}`
    : sql`id >= ${prefix} and id < ${`${prefix}g`}`;
  const created = Number(
    (await sql<{ n: number | string }>`select count(*) as n from ${f} where ${isNew}`.execute(db)).rows[0]
      ?.n ?? 0,
  );
  return { created, updated: Number(written.numAffectedRows ?? 0n) - created, reopened };
}
