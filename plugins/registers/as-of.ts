import { type Kysely, sql } from 'kysely';
import type { Database, SqlJoin } from '../../engine/entry/server.ts';
import type { FormBinding, Property, RegisterDefinition } from './register-schema.ts';
import { registersDb } from './tables.ts';
import { anyDb, tableOf, versionsTableOf } from './typed-table.ts';
import { fieldValue } from './values.ts';

/**
 * A register's records as they stood on a date, read from the typed columns page by page in
 * org-tree order (owner path, id): for each record the latest applied version dated on or
 * before the date (`register_<id>_versions.effective`: the survey's date) and the latest status
 * dated on or before it (`register_statuses`). A record not yet surveyed then, or not in one of
 * the wanted statuses then, is left out; the others are listed under the unit that owned them
 * then (`register_owners`: the first unit, then each transfer's from the day it completed).
 * When nothing in the register is dated after the date, the records' own rows are that state
 * already and are read directly (one range scan).
 */

export interface RecordAsOf {
  readonly recordId: string;
  readonly key: string;
  readonly orgCode: string;
  readonly orgPath: string;
  /** The submission the version in force came from (null for an imported or merged version). */
  readonly submissionId: string | null;
  /** The version's values under the bound form's field names (the key under its key field). */
  readonly data: Record<string, unknown>;
  /** The columns of `RecordsAsOfQuery.join` read with the record, by alias (only with a join). */
  readonly joined?: Readonly<Record<string, unknown>>;
}

/**
 * Rows of another plugin's table joined to each record by the survey its version in force came
 * from (the rules plugin's decision in force on it, say), read in the same query as the page: the
 * join, the columns it reads (aliased `columns`) and an optional condition that leaves records
 * out in SQL. The register does not look into them; it hands each record its columns.
 */
export type RecordJoin = SqlJoin;

export interface RecordsAsOfQuery {
  /** Subtree of the owners (`/510000/511900/`). */
  readonly orgPath: string;
  /** YYYY-MM-DD. */
  readonly asOf: string;
  /** Statuses in force on the date that are listed (default active). */
  readonly statuses?: readonly string[] | undefined;
  /** Form fields wanted (default every bound one): only their columns are read. */
  readonly fields?: readonly string[] | undefined;
  readonly pageSize?: number | undefined;
  /** Another table joined by the record's survey in force (columns in `joined`; its condition in the page's). */
  readonly join?: RecordJoin | undefined;
}

/** The latest day a register's statuses or owners take effect from ('' when none). */
async function latestIn(
  db: Kysely<Database>,
  def: RegisterDefinition,
  table: 'register_statuses' | 'register_owners',
): Promise<string> {
  const r = await registersDb(db)
    .selectFrom(table)
    .select((eb) => eb.fn.max('effective').as('d'))
    .where('register_id', '=', def.id)
    .executeTakeFirst();
  return String(r?.d ?? '');
}

const later = (a: string, b: string) => (a > b ? a : b);

/** The latest day anything in the register takes effect from (versions, statuses and owners). */
export async function latestEffective(db: Kysely<Database>, def: RegisterDefinition): Promise<string> {
  const v = await anyDb(db)
    .selectFrom(versionsTableOf(def))
    .select((eb) => eb.fn.max('effective').as('d'))
    .executeTakeFirst();
  const owners = await latestIn(db, def, 'register_owners');
  return later(later(String(v?.d ?? ''), await latestIn(db, def, 'register_statuses')), owners);
}

interface Row {
  id: string;
  key: string;
  owner_org_code: string;
  owner_org_path: string;
  submission_id: string | null;
  [column: string]: unknown;
}

export async function* recordsAsOf(
  db: Kysely<Database>,
  def: RegisterDefinition,
  binding: FormBinding,
  q: RecordsAsOfQuery,
): AsyncGenerator<RecordAsOf[]> {
  const size = q.pageSize ?? 1000;
  const statuses = [...(q.statuses ?? ['active'])];
  const wanted = q.fields ? new Set(q.fields) : undefined;
  const props: { prop: Property; field: string }[] = [];
  for (const prop of def.properties) {
    const field = binding.properties[prop.id];
    if (field !== undefined && (!wanted || wanted.has(field))) props.push({ prop, field });
  }
  const current = (await latestEffective(db, def)) <= q.asOf;
  // The owner in force on the date, when a transfer took effect after it: the latest owner
  // (audit order) dated on or before it, else the first one; a record without owner rows
  // (filled before they were kept, not rebuilt since) reads as its current owner.
  const moved = !current && (await latestIn(db, def, 'register_owners')) > q.asOf;
  const code = moved ? sql`coalesce(o.org_code, r.owner_org_code)` : sql`r.owner_org_code`;
  const path = moved ? sql`coalesce(o.org_path, r.owner_org_path)` : sql`r.owner_org_path`;
  const owners = moved
    ? sql`left join register_owners o on o.id = (
            select y.id from register_owners y where y.record_id = r.id
            order by case when y.effective <= ${q.asOf} then y.seq else -y.seq end desc limit 1)`
    : sql``;
  const table = sql.table(tableOf(def));
  const versions = sql.table(versionsTableOf(def));
  const cols = props.length
    ? sql.join(props.map((p) => sql`${sql.ref(`${current ? 'r' : 'h'}.${p.prop.id}`)}`))
    : undefined;
  const subtree = `${q.orgPath}%`;
  const joined = q.join?.sql(current ? sql.ref('r.current_submission') : sql.ref('h.submission_id'));
  const join = joined ? joined.join : sql``;
  const joinWhere = joined?.where ? sql`and (${joined.where})` : sql``;
  const joinCols = q.join?.columns ?? [];
  let after: { path: string; id: string } | undefined;
  for (;;) {
    const keyset = after ? sql`and (${path}, r.id) > (${after.path}, ${after.id})` : sql``;
    const select = sql`${cols ? sql`, ${cols}` : sql``}${joined ? sql`, ${joined.select}` : sql``}`;
    const query = current
      ? sql<Row>`select r.id, r.key, r.owner_org_code, r.owner_org_path, r.current_submission as submission_id${select}
          from ${table} r
          ${join}
          where r.owner_org_path like ${subtree} ${keyset}
            and r.status in (${sql.join(statuses)}) ${joinWhere}
          order by r.owner_org_path, r.id limit ${size}`
      : sql<Row>`select r.id, r.key, ${code} as owner_org_code, ${path} as owner_org_path, h.submission_id${select}
          from ${table} r
          join ${versions} h on h.id = (
            select x.id from ${versions} x
            where x.record_id = r.id and x.effective <= ${q.asOf}
            order by x.seq desc limit 1)
          ${owners}
          ${join}
          where ${path} like ${subtree} ${keyset} ${joinWhere}
            and (select s.status from register_statuses s
                 where s.record_id = r.id and s.effective <= ${q.asOf}
                 order by s.seq desc limit 1) in (${sql.join(statuses)})
          order by ${path}, r.id limit ${size}`;
    const rows = (await query.execute(db)).rows;
    if (rows.length > 0) {
      yield rows.map((r) => {
        const data: Record<string, unknown> = { [binding.key]: r.key };
        for (const p of props) data[p.field] = fieldValue(p.prop, r[p.prop.id]);
        const record: RecordAsOf = {
          recordId: r.id,
          key: r.key,
          orgCode: r.owner_org_code,
          orgPath: r.owner_org_path,
          submissionId: r.submission_id,
          data,
        };
        if (!joined) return record;
        const extra: Record<string, unknown> = {};
        for (const c of joinCols) extra[c] = r[c];
        return { ...record, joined: extra };
      });
    }
    const last = rows.at(-1);
    if (!last || rows.length < size) return;
    after = { path: last.owner_org_path, id: last.id };
  }
}
