import type { Kysely } from 'kysely';
import { schemaProblems } from '../../../engine/entry/definition.ts';
import { type Database, writeAudit } from '../../../engine/entry/server.ts';
import { rulesError } from '../errors.ts';
import { assertDeclared, type ParameterCatalog } from '../parameter-catalog.ts';
import { type AreaType, ParameterRecord, type ParameterSource } from '../parameters.ts';
import { sortableId } from './ids.ts';
import { type RuleParameterTable, rulesDb } from './tables.ts';

/**
 * Parameters in the database (`rule_parameters`). A series is (name, org unit, area); within it
 * one value per `validFrom`. Rows are only added, never edited: setting a value for a date that
 * has one adds a row superseding it, and withdrawing a value adds a row that marks it withdrawn
 * (the value in force before that date applies again). The newest row per series and date is
 * the current one; every change is checked against the rulesets' declarations and written to
 * the audit log in the same transaction.
 */

/** A stored parameter value with who set it and when. */
export interface StoredParameter extends ParameterRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
  /** Set on a row that withdraws the value of its date (only seen in a history listing). */
  readonly withdrawn?: true;
  /** Why it was set or withdrawn, when the person said so. */
  readonly note?: string;
}

export interface ParameterFilter {
  readonly name?: string;
  /** Only these series names (one statement for all of them). */
  readonly names?: readonly string[];
  /** YYYY-MM-DD: only values from this date or earlier (what can be in force on it). */
  readonly onOrBefore?: string;
  /** Only these org units (e.g. the caller's ancestors and subtree). */
  readonly orgCodes?: readonly string[];
  readonly area?: AreaType | null;
  /** Every row, superseded and withdrawing ones too, oldest first (the series' history). */
  readonly history?: boolean;
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
  ...(Number(r.withdrawn) === 1 ? { withdrawn: true as const } : {}),
  ...(r.note ? { note: r.note } : {}),
});

const seriesKey = (r: ParameterRecord) => `${r.name}|${r.orgCode}|${r.area}|${r.validFrom}`;

const byId = (a: RuleParameterTable, b: RuleParameterTable) => (a.id < b.id ? -1 : 1);

/** The current value per series and date: the newest row wins, and a withdrawing row leaves none. */
function current(rows: readonly RuleParameterTable[]): StoredParameter[] {
  const byKey = new Map<string, StoredParameter>();
  for (const r of [...rows].sort(byId)) {
    const s = toStored(r);
    byKey.set(seriesKey(s), s);
  }
  return [...byKey.values()].filter((s) => !s.withdrawn);
}

export async function listStoredParameters(
  db: Kysely<Database>,
  filter: ParameterFilter = {},
): Promise<StoredParameter[]> {
  let q = rulesDb(db).selectFrom('rule_parameters').selectAll();
  if (filter.name !== undefined) q = q.where('name', '=', filter.name);
  if (filter.names !== undefined) {
    if (filter.names.length === 0) return [];
    q = q.where('name', 'in', [...filter.names]);
  }
  // Every row of a series and date passes or fails together, so the newest one per date stays.
  if (filter.onOrBefore !== undefined) q = q.where('valid_from', '<=', filter.onOrBefore);
  if (filter.orgCodes !== undefined) {
    if (filter.orgCodes.length === 0) return [];
    q = q.where('org_code', 'in', [...filter.orgCodes]);
  }
  if (filter.area === null) q = q.where('area', 'is', null);
  else if (filter.area !== undefined) q = q.where('area', '=', filter.area);
  const raw = await q.execute();
  if (filter.history) return [...raw].sort(byId).map(toStored);
  const rows = current(raw);
  return rows.sort(
    (a, b) =>
      a.name.localeCompare(b.name) ||
      a.orgCode.localeCompare(b.orgCode) ||
      String(a.area).localeCompare(String(b.area)) ||
      a.validFrom.localeCompare(b.validFrom),
  );
}

/**
 * A `ParameterSource` over the table: each call reads fresh, so a value set a moment ago applies
 * at once; the series a ruleset uses come in one statement (for its org chain and date, when given).
 */
export function createDbParameterSource(db: Kysely<Database>): ParameterSource {
  return {
    list: async (name) => (await listStoredParameters(db, { name })).map(recordOf),
    listMany: async (names, scope) =>
      (
        await listStoredParameters(db, {
          names,
          ...(scope?.orgCodes ? { orgCodes: scope.orgCodes } : {}),
          ...(scope?.asOf !== undefined ? { onOrBefore: scope.asOf } : {}),
        })
      ).map(recordOf),
  };
}

const recordOf = (s: StoredParameter): ParameterRecord & { readonly id: string } => ({
  id: s.id,
  name: s.name,
  orgCode: s.orgCode,
  area: s.area,
  validFrom: s.validFrom,
  value: s.value,
});

/** Checks a record's shape, date and declaration; throws a 400 NxError with pointers (`/name`, `/value` …). */
export function checkParameterRecord(record: ParameterRecord, catalog: ParameterCatalog): ParameterRecord {
  const problems = schemaProblems(ParameterRecord, record);
  // A round trip, because Date.parse accepts 2021-02-30 (and rolls it over to March).
  const t = Date.parse(`${record.validFrom}T00:00:00Z`);
  const realDate = !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === record.validFrom;
  if (problems.length > 0 || !Number.isFinite(record.value) || !realDate) {
    const where = problems.map((p) => `${p.pointer}: ${p.message.en}`).join('; ');
    throw rulesError(
      'NX_ERR_RULES_INVALID_PARAMETER',
      {
        'zh-CN': `参数 ${record.name} 无效${where ? `：${problems.map((p) => `${p.pointer} ${p.message['zh-CN']}`).join('；')}` : '（值须为有限数字，日期须为有效的 YYYY-MM-DD）'}`,
        en: `Parameter ${record.name} is invalid${where ? `: ${where}` : ' (the value must be a finite number, the date a real YYYY-MM-DD)'}`,
      },
      problems.length > 0
        ? problems.map((p) => ({ path: p.pointer, code: p.code, message: p.message }))
        : [
            {
              path: realDate ? '/value' : '/validFrom',
              code: 'NX_ERR_RULES_INVALID_PARAMETER',
              message: realDate
                ? { 'zh-CN': '值须为有限数字', en: 'The value must be a finite number' }
                : { 'zh-CN': '日期须为有效的 YYYY-MM-DD', en: 'The date must be a real YYYY-MM-DD' },
            },
          ],
    );
  }
  assertDeclared(catalog, record);
  return record;
}

async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export interface SetParameterResult {
  readonly parameter: StoredParameter;
  /** false when the value superseded one of the same series and date. */
  readonly created: boolean;
  readonly previousValue?: number;
  /** The row it superseded. */
  readonly supersedes?: string;
}

export interface ParameterWriter {
  readonly actor: string | null;
  readonly orgPath?: string | null;
  /** Why (kept with the row and in the audit entry). */
  readonly note?: string;
}

/** The current row of one series and date, read in `trx`. */
async function currentRow(trx: Kysely<Database>, k: SeriesDate): Promise<StoredParameter | undefined> {
  let q = rulesDb(trx)
    .selectFrom('rule_parameters')
    .selectAll()
    .where('name', '=', k.name)
    .where('org_code', '=', k.orgCode)
    .where('valid_from', '=', k.validFrom);
  q = k.area === null ? q.where('area', 'is', null) : q.where('area', '=', k.area);
  return current(await q.execute())[0];
}

/** One series and date: the address of one value. */
export interface SeriesDate {
  readonly name: string;
  readonly orgCode: string;
  readonly area: AreaType | null;
  readonly validFrom: string;
}

async function addRow(
  trx: Kysely<Database>,
  record: ParameterRecord,
  by: ParameterWriter,
  withdrawn: boolean,
): Promise<StoredParameter> {
  const id = sortableId('par');
  const now = new Date().toISOString();
  await rulesDb(trx)
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
      withdrawn: withdrawn ? 1 : 0,
      note: by.note ?? null,
    })
    .execute();
  return {
    id,
    name: record.name,
    orgCode: record.orgCode,
    area: record.area,
    validFrom: record.validFrom,
    value: record.value,
    createdAt: now,
    createdBy: by.actor,
    ...(withdrawn ? { withdrawn: true as const } : {}),
    ...(by.note ? { note: by.note } : {}),
  };
}

/**
 * Sets the value of a series from a date, after checking it against the declarations in
 * `catalog`: adds a dated value, or a row superseding the value of that exact date (the old row
 * stays, as history). The row and its audit entry commit together (in `db` when it is a transaction).
 */
export async function setParameter(
  db: Kysely<Database>,
  input: ParameterRecord,
  by: ParameterWriter,
  catalog: ParameterCatalog,
): Promise<SetParameterResult> {
  const record = checkParameterRecord(
    {
      name: input.name,
      orgCode: input.orgCode,
      area: input.area ?? null,
      validFrom: input.validFrom,
      value: input.value,
    },
    catalog,
  );
  return inTransaction(db, async (trx) => {
    const existing = await currentRow(trx, record);
    const stored = await addRow(trx, record, by, false);
    await writeAudit(trx, {
      actor: by.actor,
      action: existing ? 'rule_parameter.supersede' : 'rule_parameter.create',
      entityType: 'rule_parameter',
      entityId: stored.id,
      orgPath: by.orgPath ?? null,
      before: existing ? { ...recordOf(existing) } : null,
      after: { ...recordOf(stored), ...(by.note ? { note: by.note } : {}) },
    });
    return {
      parameter: stored,
      created: !existing,
      ...(existing ? { previousValue: existing.value, supersedes: existing.id } : {}),
    };
  });
}

/**
 * Withdraws the value of one series and date (e.g. a raise entered by mistake): adds a row that
 * supersedes it with "no value", so the value in force before that date applies again. Audited;
 * refused (404) when that date has no current value.
 */
export async function withdrawParameter(
  db: Kysely<Database>,
  key: SeriesDate,
  by: ParameterWriter,
): Promise<StoredParameter> {
  return inTransaction(db, async (trx) => {
    const existing = await currentRow(trx, key);
    if (!existing)
      throw rulesError(
        'NX_ERR_RULES_PARAMETER_VALUE_NOT_FOUND',
        {
          'zh-CN': `${key.name} 在 ${key.orgCode}（${key.area ?? 'both'}）自 ${key.validFrom} 起没有可撤回的取值`,
          en: `${key.name} has no value from ${key.validFrom} at ${key.orgCode} (${key.area ?? 'both'}) to withdraw`,
        },
        [
          {
            path: '/validFrom',
            code: 'NX_ERR_RULES_PARAMETER_VALUE_NOT_FOUND',
            message: { 'zh-CN': '此日期没有取值', en: 'No value from this date' },
          },
        ],
      );
    const stored = await addRow(trx, existing, by, true);
    await writeAudit(trx, {
      actor: by.actor,
      action: 'rule_parameter.withdraw',
      entityType: 'rule_parameter',
      entityId: stored.id,
      orgPath: by.orgPath ?? null,
      before: { ...recordOf(existing) },
      after: { withdrawn: true, supersedes: existing.id, ...(by.note ? { note: by.note } : {}) },
    });
    return stored;
  });
}
