import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Database, dialectOf } from '../../engine/entry/server.ts';
import type { RowFacts } from './compare-row.ts';
import type { ComparisonRule } from './comparison-schema.ts';
import type { ListDefinition } from './list-schema.ts';
import { colName } from './list-table.ts';
import type { RuleReads } from './rule-reads.ts';
import { ruleFilter, type SqlValue, type ValueKind } from './rule-sql.ts';

/**
 * The read side of a comparison run: one SQL join of a delivery's list rows with the register's
 * typed table restricted to the delivery's unit. Each list row meets at most one record
 * (`recordChoice`), so the join has exactly one row per list row:
 *
 * - among the active records that have the ID number as head or member (`register_members`) and
 *   belong to the delivery's unit: the one where the person is head, then the lowest record id
 *   (a person in two households is flagged by the registers plugin; the match stays the same
 *   from run to run until that is resolved);
 * - no active record anywhere has the person: the record keyed by the ID number (`register_keys`,
 *   e.g. a household closed after the head's death), when it belongs to the unit;
 * - an active record elsewhere only: no match.
 *
 * A person listed twice in one delivery meets the same record from each row; a rule holds for
 * them when it holds on any of their rows, and the finding shows the last such row's values.
 *
 * Rows come in ID-number order (on SQLite the list table's own order, elsewhere its index:
 * `list-table.ts`), so the look-ups into the member and key indexes go in order too. Only the
 * columns the rules read are selected, and with each row, per rule, whether its
 * condition may hold there (`x_may_<i>`, the rule's SQL pre-filter from `rule-sql.ts`): the
 * run evaluates a rule in JavaScript only where it may. The rules that run entirely in SQL
 * (`sql-rules.ts`) read the same values from the run's rows (`runRows`, `rowValues`): each one's
 * SQL expression and, where SQL writes its text as JavaScript's `JSON.stringify` does on both
 * dialects, its JSON.
 */

export type JoinedRow = Record<string, unknown>;

export interface JoinQuery {
  readonly db: Kysely<Database>;
  readonly list: ListDefinition;
  readonly listTable: string;
  readonly register: string;
  /** Property → SQL type of the register's typed table. */
  readonly regColumns: Readonly<Record<string, string>>;
  readonly reads: RuleReads;
  /** The rules run, in order (their pre-filters become the `x_may_<i>` columns). */
  readonly rules: readonly ComparisonRule[];
  /** Whether the benefits table is there (and a rule reads it). */
  readonly withBenefits: boolean;
  readonly deliveryId: string;
  /** The delivery's unit's path: only records owned under it match. */
  readonly scope: string;
}

const NUMERIC = new Set(['integer', 'number', 'money']);
const kindOf = (type: string): ValueKind =>
  type === 'boolean' ? 'boolean' : NUMERIC.has(type) ? 'number' : 'text';
const asBool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Number(v) === 1);
const asNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const typed = (type: string, v: unknown): unknown =>
  type === 'boolean' ? asBool(v) : NUMERIC.has(type) ? asNum(v) : (v ?? null);

/** A value a rule reads, with its JSON text where SQL writes it as `JSON.stringify` does. */
export interface ReadValue extends SqlValue {
  readonly json?: RawBuilder<unknown>;
}

/**
 * The JSON text of a value as JavaScript's `JSON.stringify` writes it, on both dialects: text as a
 * JSON string (same escapes), booleans stored as 1/0 as `true`/`false`, whole numbers as digits,
 * NULL as `null`. Floating-point columns are left out (their text differs between engines and
 * JavaScript): a rule comparing one runs in JavaScript.
 */
function jsonOf(expr: RawBuilder<unknown>, type: 'text' | 'integer' | 'boolean', postgres: boolean) {
  if (type === 'boolean')
    return sql`case when ${expr} is null then 'null' when ${expr} = 1 then 'true' else 'false' end`;
  if (type === 'integer') return sql`coalesce(cast(${expr} as text), 'null')`;
  return postgres
    ? sql`coalesce(cast(to_json(cast(${expr} as text)) as text), 'null')`
    : sql`json_quote(${expr})`;
}

const jsonType = (type: string): 'text' | 'integer' | 'boolean' | undefined =>
  type === 'boolean' ? 'boolean' : type === 'integer' ? 'integer' : NUMERIC.has(type) ? undefined : 'text';

/** A compiled reader: the join, the page query and the conversion of a row into what a rule reads. */
export function joinReader(q: JoinQuery) {
  const postgres = dialectOf(q.db) === 'postgres';
  const listCols = q.list.columns.filter((c) => q.reads.list === 'all' || q.reads.list.has(c.id));
  const props = Object.entries(q.regColumns).filter(
    ([p]) => q.reads.register === 'all' || q.reads.register.has(p),
  );
  const benefits = q.withBenefits
    ? sql`(select count(*) from benefits b where b.household_key = r.key and b.status = 'active')`
    : sql`cast(null as integer)`;
  const regTable = sql.table(`register_${q.register}`);
  // The record a list row meets (see above). The first look-up reads the member index in its own
  // order (role, where 'head' sorts before 'member', then record id) and stops at the first record
  // in the unit: no sort. Without one, a person with records only elsewhere meets none; a person
  // with no active record at all meets the record keyed by their ID number.
  // SQLite finds the record by its rowid (one look-up instead of the id index and then the row).
  const rowKey = sql.raw(postgres ? 'id' : 'rowid');
  const recordChoice = sql`coalesce(
      (select r2.${rowKey} from register_members m join ${regTable} r2 on r2.id = m.record_id
        and r2.owner_org_path like ${q.scope}
        where m.register_id = ${q.register} and m.id_number = l.id_number
        order by m.role, m.record_id
        limit 1),
      case when exists (select 1 from register_members m where m.register_id = ${q.register}
          and m.id_number = l.id_number) then null
        else (select r3.${rowKey} from register_keys k join ${regTable} r3 on r3.id = k.record_id
          where k.register_id = ${q.register} and k.key = l.id_number) end)`;
  const from = sql`${sql.table(q.listTable)} l
      left join ${regTable} r on r.${rowKey} = ${recordChoice} and r.owner_org_path like ${q.scope}`;
  // The whole delivery at once (the run's rows). PostgreSQL runs the correlated look-ups above as a
  // sub-plan per row (3.7 s for 200,000 rows); the same choice as joins — each listed person's first
  // record in the unit in index order (`distinct on`), else their key's record when they are in no
  // active record — takes it 0.95 s. SQLite walks its indexes in order either way.
  const fromAll = postgres
    ? sql`${sql.table(q.listTable)} l
      left join (select distinct on (m.id_number) m.id_number, r2.id as record_id
          from register_members m join ${regTable} r2 on r2.id = m.record_id and r2.owner_org_path like ${q.scope}
          where m.register_id = ${q.register} and m.id_number in
            (select d.id_number from ${sql.table(q.listTable)} d where d.delivery_id = ${q.deliveryId})
          order by m.id_number, m.role, m.record_id) c on c.id_number = l.id_number
      left join register_keys k on c.record_id is null and k.register_id = ${q.register} and k.key = l.id_number
        and not exists (select 1 from register_members m where m.register_id = ${q.register}
          and m.id_number = l.id_number)
      left join ${regTable} r on r.id = coalesce(c.record_id, k.record_id) and r.owner_org_path like ${q.scope}`
    : from;
  const where = sql`l.delivery_id = ${q.deliveryId}`;
  const role = sql`case when r.id is null then null when r.key = l.id_number then 'head' else 'member' end`;
  const matched = sql`r.id is not null`;
  const v = (expr: RawBuilder<unknown>, type: string): ReadValue => {
    const j = jsonType(type);
    return { expr, kind: kindOf(type), ...(j ? { json: jsonOf(expr, j, postgres) } : {}) };
  };
  const listType = (type: string) =>
    type === 'boolean' || type === 'integer' ? type : NUMERIC.has(type) ? 'number' : 'text';
  /** Every value a rule may read: its path, its SQL over the join, its column in the run's rows. */
  const columns: { path: string; expr: RawBuilder<unknown>; col: string; type: string }[] = [
    { path: 'match.role', expr: role, col: 'x_role', type: 'text' },
    { path: 'benefits.active', expr: benefits, col: 'x_benefits', type: 'integer' },
    { path: 'register.status', expr: sql`r.status`, col: 'r_status', type: 'text' },
    { path: 'register.statusReason', expr: sql`r.status_reason`, col: 'r_status_reason', type: 'text' },
    { path: 'register.key', expr: sql`r.key`, col: 'r_key', type: 'text' },
    { path: 'register.ownerOrgCode', expr: sql`r.owner_org_code`, col: 'r_owner_org_code', type: 'text' },
    ...q.list.columns.map((c) => ({
      path: `list.${c.id}`,
      expr: sql`l.${sql.id(colName(c.id))}`,
      col: colName(c.id),
      type: listType(c.type),
    })),
    ...Object.entries(q.regColumns)
      .filter(([p]) => !['status', 'statusReason', 'key', 'ownerOrgCode'].includes(p))
      .map(([p, type]) => ({ path: `register.${p}`, expr: sql`r.${sql.id(p)}`, col: `r_${p}`, type })),
  ];
  const values = new Map(columns.map((c) => [c.path, v(c.expr, c.type)]));
  const valueAt = (path: string) => values.get(path);

  /**
   * The joined rows a run's SQL rules read, one per list row, in ID-number order: the row, the
   * record, its owner and the values at `paths` (what those rules read), as columns of a table the
   * rules then scan (`sql-rules.ts`), so the join is walked once however many rules there are.
   */
  const runRows = (paths: ReadonlySet<string>) => {
    const cols = columns.filter((c) => paths.has(c.path) || c.path === 'register.ownerOrgCode');
    return {
      select: sql.join([
        sql`l.row_no, l.id_number, l.area_code, r.id as r_id, r.owner_org_path as r_owner_org_path`,
        ...cols.map((c) => sql`${c.expr} as ${sql.id(c.col)}`),
      ]),
      columns: ['row_no', 'id_number', 'area_code', 'r_id', 'r_owner_org_path', ...cols.map((c) => c.col)],
    };
  };
  /** The values of the run's rows under `alias` (those `runRows` was given). */
  const rowValues = (alias: string) =>
    new Map(columns.map((c) => [c.path, v(sql.ref(`${alias}.${c.col}`), c.type)]));
  const rowMatched = (alias: string) => sql`${sql.ref(`${alias}.r_id`)} is not null`;
  const filterOf = ruleFilter(valueAt, matched);
  const mayHold = q.rules.map(filterOf);
  const payload = (expr: RawBuilder<unknown>, as: string) => sql`${expr} as ${sql.id(as)}`;
  const select = sql.join([
    sql`l.row_no, l.id_number, case when ${matched} then 1 else 0 end as x_matched`,
    payload(sql`l.area_code`, 'area_code'),
    ...listCols.map((c) => payload(sql`l.${sql.id(colName(c.id))}`, colName(c.id))),
    payload(sql`r.id`, 'x_record'),
    payload(sql`r.key`, 'x_key'),
    payload(sql`r.status`, 'x_status'),
    payload(sql`r.status_reason`, 'x_status_reason'),
    payload(sql`r.owner_org_code`, 'x_owner_code'),
    payload(sql`r.owner_org_path`, 'x_owner_path'),
    payload(role, 'x_role'),
    payload(benefits, 'x_benefits'),
    ...props.map(([p]) => payload(sql`r.${sql.id(p)}`, `r_${p}`)),
    ...mayHold.flatMap((p, i) =>
      p ? [sql`case when ${p} then 1 else 0 end as ${sql.id(`x_may_${i}`)}`] : [],
    ),
  ]);

  /** The rows after (idNumber, rowNo), in that order. */
  const page = async (exec: Kysely<Database>, idNumber: string, rowNo: number, limit: number) =>
    (
      await sql<JoinedRow>`select ${select}
      from ${from}
      where ${where} and (l.id_number, l.row_no) > (${idNumber}, ${rowNo})
      order by l.id_number, l.row_no
      limit ${limit}`.execute(exec)
    ).rows;

  /** A joined row as a rule reads it: typed list values, typed register values, the match. */
  const factsOf = (row: JoinedRow, matched: boolean): RowFacts => {
    const l: Record<string, unknown> = {};
    for (const c of listCols) l[c.id] = typed(c.type, row[colName(c.id)]);
    const reg: Record<string, unknown> = {};
    if (matched) {
      for (const [p, type] of props) reg[p] = typed(type, row[`r_${p}`]);
      reg.status = row.x_status ?? null;
      reg.statusReason = row.x_status_reason ?? null;
      reg.key = row.x_key ?? null;
      reg.ownerOrgCode = row.x_owner_code ?? null;
    }
    return {
      matched,
      match: { role: matched ? ((row.x_role as string | null) ?? null) : null },
      list: l,
      register: reg,
      benefits: { active: asNum(row.x_benefits) },
    };
  };

  const mayColumns = mayHold.map((p, i) => (p ? `x_may_${i}` : undefined));
  /** Whether rule `i` may hold on the row (false only where its SQL pre-filter says no). */
  const mayHoldOn = (row: JoinedRow, i: number): boolean => {
    const col = mayColumns[i];
    return col === undefined || Number(row[col]) === 1;
  };

  const matchedOn = (row: JoinedRow): boolean => Number(row.x_matched) === 1;

  return {
    page,
    factsOf,
    mayHoldOn,
    matchedOn,
    from,
    fromAll,
    where,
    runRows,
    rowValues,
    rowMatched,
    postgres,
  };
}

export type JoinReader = ReturnType<typeof joinReader>;
