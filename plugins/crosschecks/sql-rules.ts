import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Database, unitPathSql } from '../../engine/entry/server.ts';
import type { JoinReader } from './comparison-read.ts';
import type { ComparisonRule } from './comparison-schema.ts';
import { ruleExact } from './rule-sql.ts';

/**
 * Rules evaluated entirely in SQL. Where a rule's condition translates exactly (`rule-sql.ts`)
 * and every compared value has a JSON text SQL writes as JavaScript does (`comparison-read.ts`),
 * its findings are written by one `INSERT … SELECT … ON CONFLICT DO UPDATE`, the compared values
 * and their fingerprint (the compared values' JSON text) built in SQL: no row is carried into
 * JavaScript. The join is walked once per run into a temporary table of the run's rows (one per
 * list row, keyed by ID number and row), which the counts, each rule's findings and the clearing
 * of findings no longer produced then read. A closed finding opens again only when its compared
 * text changes; an unchanged one is not written. What does not translate runs in JavaScript
 * (`run-comparison.ts`), with the same results (tested with both).
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
    out.push({ index, rule, holds, last, compared });
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
  /** Each finding id is this, the rule's index and the row number (hex). */
  readonly idPrefix: string;
  readonly now: string;
}

/** Walks the join once into the run's rows (a temporary table, dropped by `dropRunRows`). */
export async function fillRunRows(db: Kysely<Database>, ctx: SqlRunContext): Promise<void> {
  const { reader } = ctx;
  await dropRunRows(db);
  const select = sql`select ${reader.rowsSelect} from ${reader.from} where ${reader.where}`;
  if (reader.postgres) {
    await sql`create temporary table ${sql.table(ROWS)} on commit drop as ${select}`.execute(db);
    await sql`create index ${sql.id(`${ROWS}_person`)} on ${sql.table(ROWS)} (id_number, row_no)`.execute(db);
    await sql`analyze ${sql.table(ROWS)}`.execute(db);
    return;
  }
  // SQLite: keyed by (ID number, row) without a rowid, filled in that order (the join walks the
  // list's index): no index to build afterwards.
  const cols = sql.join(reader.rowsColumns.map((c) => sql.id(c)));
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

/**
 * Writes the rule's new and changed findings; returns the ids written with their compared text
 * and owner (new ones carry `idPrefix`).
 */
export async function upsertFindings(
  db: Kysely<Database>,
  ctx: SqlRunContext,
  r: SqlRule,
  dueDate: string,
): Promise<{ id: string; compared: string; owner_org_path: string }[]> {
  const hex = ctx.reader.postgres ? sql`lpad(to_hex(x.row_no), 8, '0')` : sql`printf('%08x', x.row_no)`;
  const prefix = `${ctx.idPrefix}${r.index.toString(16).padStart(2, '0')}`;
  // The row's unit inside the run's scope (`scope` is the delivery's path with LIKE's `%` after it).
  const areaPath = unitPathSql(sql.ref('x.area_code'), ctx.scope.replace(/%$/, ''));
  const text = (v: string) => sql`cast(${v} as text)`;
  const fromRecord = sql`x.r_id is not null`;
  return (
    await sql<{ id: string; compared: string; owner_org_path: string }>`insert into crosscheck_findings (id,
        comparison_id, rule_id, list_id, subject, record_id, delivery_id, type, severity, compared, fingerprint,
        owner_org_code, owner_org_path, status, resolution, reason, due_date, created_at, updated_at, closed_at,
        closed_by)
      select ${text(prefix)} || ${hex}, ${text(ctx.comparison)}, ${text(r.rule.id)}, ${text(ctx.list)},
        x.id_number, x.r_id, ${text(ctx.deliveryId)}, ${text(r.rule.type)}, ${text(r.rule.severity)},
        x.compared, x.compared,
        case when ${fromRecord} then x.r_owner_org_code when ${areaPath} is not null then x.area_code
          else ${text(ctx.delivery.orgCode)} end,
        case when ${fromRecord} then x.r_owner_org_path else coalesce(${areaPath}, ${text(ctx.delivery.orgPath)}) end,
        'open', null, null, ${text(dueDate)}, ${text(ctx.now)}, ${text(ctx.now)}, null, null
      from (select x.*, ${r.compared} as compared from ${sql.table(ROWS)} x where ${r.last}) x
      where true
      on conflict (comparison_id, rule_id, subject) do update set
        compared = excluded.compared, fingerprint = excluded.fingerprint, delivery_id = excluded.delivery_id,
        record_id = excluded.record_id, owner_org_code = excluded.owner_org_code,
        owner_org_path = excluded.owner_org_path, updated_at = excluded.updated_at, status = 'open',
        resolution = case when crosscheck_findings.status = 'open' then crosscheck_findings.resolution else null end,
        reason = case when crosscheck_findings.status = 'open' then crosscheck_findings.reason else null end,
        closed_at = case when crosscheck_findings.status = 'open' then crosscheck_findings.closed_at else null end,
        closed_by = case when crosscheck_findings.status = 'open' then crosscheck_findings.closed_by else null end,
        due_date = case when crosscheck_findings.status = 'open' then crosscheck_findings.due_date
          else excluded.due_date end
      where crosscheck_findings.fingerprint <> excluded.fingerprint
        or crosscheck_findings.owner_org_path not like ${ctx.scope}
      returning id, compared, owner_org_path`.execute(db)
  ).rows;
}
