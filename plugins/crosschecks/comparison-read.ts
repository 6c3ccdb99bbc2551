import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import type { RowFacts } from './compare-row.ts';
import type { ComparisonRule } from './comparison-schema.ts';
import type { ListDefinition } from './list-schema.ts';
import { colName } from './list-table.ts';
import type { RuleReads } from './rule-reads.ts';
import { ruleFilter, type SqlValue, type ValueKind } from './rule-sql.ts';

/**
 * The read side of a comparison run: one keyset-paged SQL join of a delivery's list rows with the
 * register's member index (`register_members`), its key index (`register_keys`, for a person no
 * longer in an active household) and its typed table restricted to the delivery's unit. Rows come
 * in ID-number order (the list table's `(delivery_id, id_number, row_no)` index), so the look-ups
 * in the member and key indexes walk them in order and the findings are written in the order of
 * their unique index. Only the columns the rules read are selected, and with each row, per rule, whether
 * its condition may hold there (`x_may_<i>`, the rule's SQL pre-filter from `rule-sql.ts`): the
 * run evaluates a rule only where it may.
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

/** A compiled reader: the page query and the conversion of a joined row into what a rule reads. */
export function joinReader(q: JoinQuery) {
  const listCols = q.list.columns.filter((c) => q.reads.list === 'all' || q.reads.list.has(c.id));
  const props = Object.entries(q.regColumns).filter(
    ([p]) => q.reads.register === 'all' || q.reads.register.has(p),
  );
  const benefits = q.withBenefits
    ? sql`(select count(*) from benefits b where b.household_key = r.key and b.status = 'active')`
    : sql`null`;
  const role = sql`case when m.record_id is not null then m.role when k.record_id is not null then 'head' end`;
  const matched = sql`r.id is not null`;
  const v = (expr: RawBuilder<unknown>, kind: ValueKind): SqlValue => ({ expr, kind });
  const values = new Map<string, SqlValue>([
    ['match.role', v(sql`case when r.id is not null then ${role} end`, 'text')],
    ['benefits.active', v(benefits, 'number')],
    ['register.status', v(sql`r.status`, 'text')],
    ['register.statusReason', v(sql`r.status_reason`, 'text')],
    ['register.key', v(sql`r.key`, 'text')],
    ['register.ownerOrgCode', v(sql`r.owner_org_code`, 'text')],
    ...q.list.columns.map((c): [string, SqlValue] => [
      `list.${c.id}`,
      v(sql`l.${sql.id(colName(c.id))}`, kindOf(c.type)),
    ]),
    ...Object.entries(q.regColumns)
      .filter(([p]) => !['status', 'statusReason', 'key', 'ownerOrgCode'].includes(p))
      .map(([p, type]): [string, SqlValue] => [`register.${p}`, v(sql`r.${sql.id(p)}`, kindOf(type))]),
  ]);
  const filterOf = ruleFilter((path) => values.get(path), matched);
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
      from ${sql.table(q.listTable)} l
      left join register_members m on m.register_id = ${q.register} and m.id_number = l.id_number
      left join register_keys k on m.record_id is null and k.register_id = ${q.register} and k.key = l.id_number
      left join ${sql.table(`register_${q.register}`)} r on r.id = coalesce(m.record_id, k.record_id) and r.owner_org_path like ${q.scope}
      where l.delivery_id = ${q.deliveryId} and (l.id_number, l.row_no) > (${idNumber}, ${rowNo})
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

  return { page, factsOf, mayHoldOn, matchedOn };
}
