import type { Kysely } from 'kysely';
import { type Database, NxError, schemaProblems, writeAudit } from '../../../engine/index.ts';
import { type AreaType, ParameterRecord, type ParameterSource } from '../parameters.ts';
import { sortableId } from './ids.ts';
import { type RuleParameterTable, type RulesDb, rulesDb } from './tables.ts';

/**
 * Parameters in the database (`rule_parameters`). A series is (name, org unit, area); within it
 * one row per `validFrom`. Setting a value for an existing date replaces it, and every change is
 * written to the audit log in the same transaction.
 */

/** A stored parameter value with who set it and when. */
export interface StoredParameter extends ParameterRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

export interface ParameterFilter {
  readonly name?: string;
  /** Only these org units (e.g. the caller's ancestors and subtree). */
  readonly orgCodes?: readonly string[];
  readonly area?: AreaType | null;
}

const toStored = (r: RuleParameterTable): StoredParameter => ({
  id: r.id,
  name: r.name,
  orgCode: r.org_code,
  area: r.area,
  validFrom: r.valid_from,
  value: Number(r.value),
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const seriesKey = (r: ParameterRecord) => `${r.name}|${r.orgCode}|${r.area}|${r.validFrom}`;

/** Rows of a query, one per series and date (two concurrent first writes may both insert: the newest id wins). */
function distinct(rows: readonly RuleParameterTable[]): StoredParameter[] {
  const byKey = new Map<string, StoredParameter>();
  for (const r of [...rows].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const s = toStored(r);
    byKey.set(seriesKey(s), s);
  }
  return [...byKey.values()];
}

export async function listStoredParameters(
  db: Kysely<Database>,
  filter: ParameterFilter = {},
): Promise<StoredParameter[]> {
  let q = rulesDb(db).selectFrom('rule_parameters').selectAll();
  if (filter.name !== undefined) q = q.where('name', '=', filter.name);
  if (filter.orgCodes !== undefined) {
    if (filter.orgCodes.length === 0) return [];
    q = q.where('org_code', 'in', [...filter.orgCodes]);
  }
  if (filter.area === null) q = q.where('area', 'is', null);
  else if (filter.area !== undefined) q = q.where('area', '=', filter.area);
  const rows = distinct(await q.execute());
  return rows.sort(
    (a, b) =>
      a.name.localeCompare(b.name) ||
      a.orgCode.localeCompare(b.orgCode) ||
      String(a.area).localeCompare(String(b.area)) ||
      a.validFrom.localeCompare(b.validFrom),
  );
}

/** A `ParameterSource` over the table: each call reads fresh, so a value set a moment ago applies at once. */
export function createDbParameterSource(db: Kysely<Database>): ParameterSource {
  return {
    list: async (name) => (await listStoredParameters(db, { name })).map(recordOf),
  };
}

const recordOf = (s: StoredParameter): ParameterRecord => ({
  name: s.name,
  orgCode: s.orgCode,
  area: s.area,
  validFrom: s.validFrom,
  value: s.value,
});

function checked(record: ParameterRecord): ParameterRecord {
  const problems = schemaProblems(ParameterRecord, record);
  // A round trip, because Date.parse accepts 2021-02-30 (and rolls it over to March).
  const t = Date.parse(`${record.validFrom}T00:00:00Z`);
  const realDate = !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === record.validFrom;
  if (problems.length > 0 || !Number.isFinite(record.value) || !realDate) {
    const where = problems.map((p) => `${p.pointer}: ${p.message.en}`).join('; ');
    throw new NxError('NX_ERR_RULES_INVALID_PARAMETER', 400, {
      'zh-CN': `参数 ${record.name} 无效${where ? `：${problems.map((p) => `${p.pointer} ${p.message['zh-CN']}`).join('；')}` : '（值须为有限数字，日期须为有效的 YYYY-MM-DD）'}`,
      en: `Parameter ${record.name} is invalid${where ? `: ${where}` : ' (the value must be a finite number, the date a real YYYY-MM-DD)'}`,
    });
  }
  return record;
}

async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export interface SetParameterResult {
  readonly parameter: StoredParameter;
  readonly created: boolean;
  readonly previousValue?: number;
}

/**
 * Sets the value of a series from a date: replaces the value for that exact date or adds a new
 * dated value. The change and its audit entry commit together (in `db` when it is a transaction).
 */
export async function setParameter(
  db: Kysely<Database>,
  input: ParameterRecord,
  by: { readonly actor: string | null; readonly orgPath?: string | null } = { actor: null },
): Promise<SetParameterResult> {
  const record = checked({
    name: input.name,
    orgCode: input.orgCode,
    area: input.area ?? null,
    validFrom: input.validFrom,
    value: input.value,
  });
  return inTransaction(db, async (trx) => {
    const r: RulesDb = rulesDb(trx);
    let q = r
      .selectFrom('rule_parameters')
      .selectAll()
      .where('name', '=', record.name)
      .where('org_code', '=', record.orgCode)
      .where('valid_from', '=', record.validFrom);
    q = record.area === null ? q.where('area', 'is', null) : q.where('area', '=', record.area);
    const existing = distinct(await q.execute())[0];
    const now = new Date().toISOString();
    let stored: StoredParameter;
    if (existing) {
      await r
        .updateTable('rule_parameters')
        .set({ value: record.value, created_at: now, created_by: by.actor })
        .where('id', '=', existing.id)
        .execute();
      stored = { ...existing, value: record.value, createdAt: now, createdBy: by.actor };
    } else {
      const id = sortableId('par');
      await r
        .insertInto('rule_parameters')
        .values({
          id,
          name: record.name,
          org_code: record.orgCode,
          area: record.area,
          valid_from: record.validFrom,
          value: record.value,
          created_at: now,
          created_by: by.actor,
        })
        .execute();
      stored = { ...record, id, createdAt: now, createdBy: by.actor };
    }
    await writeAudit(trx, {
      actor: by.actor,
      action: existing ? 'rule_parameter.update' : 'rule_parameter.create',
      entityType: 'rule_parameter',
      entityId: stored.id,
      orgPath: by.orgPath ?? null,
      before: existing ? { ...recordOf(existing) } : null,
      after: { ...recordOf(stored) },
    });
    return {
      parameter: stored,
      created: !existing,
      ...(existing ? { previousValue: existing.value } : {}),
    };
  });
}
