import { type Kysely, sql } from 'kysely';
import { todayInChina } from '../../engine/entry/runtime.ts';
import type { Database } from '../../engine/entry/server.ts';
import type { RegisterDefinition } from './register-schema.ts';
import { type RegisterFlagTable, registersDb } from './tables.ts';
import { anyDb, tableOf, versionsTableOf } from './typed-table.ts';
import type { Extracted, PropertyValue } from './values.ts';

/**
 * The fold step: one event (a submission entering the register, or a recorded action) applied
 * to the register's tables. The live path (the save's hook, the action routes) and
 * `rebuild` call the same functions in the same order (`seq`, the id of the event's audit
 * entry), which is why a rebuilt register equals the live one.
 */

/** When and by whom: from the event's audit entry. */
export interface EventStamp {
  readonly seq: number;
  readonly at: string;
  readonly actor: string | null;
}

export interface RecordRow {
  id: string;
  key: string;
  status: string;
  status_reason: string | null;
  owner_org_code: string;
  owner_org_path: string;
  current_version: number;
  open_conflicts: number;
  merged_into: string | null;
  /** The submission of the latest applied version that came from one (the roster reads it). */
  current_submission: string | null;
  created_at: string;
  updated_at: string;
  [property: string]: unknown;
}

export async function recordById(
  db: Kysely<Database>,
  def: RegisterDefinition,
  id: string,
): Promise<RecordRow | undefined> {
  return (await anyDb(db).selectFrom(tableOf(def)).selectAll().where('id', '=', id).executeTakeFirst()) as
    | RecordRow
    | undefined;
}

/** The record a key leads to (after merges, the record it was merged into). */
export async function recordIdByKey(
  db: Kysely<Database>,
  def: RegisterDefinition,
  key: string,
): Promise<string | undefined> {
  const r = await registersDb(db)
    .selectFrom('register_keys')
    .select('record_id')
    .where('register_id', '=', def.id)
    .where('key', '=', key)
    .executeTakeFirst();
  return r?.record_id;
}

const propertyColumns = (def: RegisterDefinition, values: Readonly<Record<string, PropertyValue>>) =>
  Object.fromEntries(def.properties.map((p) => [p.id, values[p.id] ?? null]));

async function insertVersion(
  db: Kysely<Database>,
  def: RegisterDefinition,
  v: {
    recordId: string;
    version: number;
    source: string;
    submissionId: string | null;
    base: number | null;
    conflict: boolean;
    properties: Readonly<Record<string, PropertyValue>>;
    members: readonly string[];
    /** The day it is true from; default the day of the stamp (China time). */
    effective?: string | null | undefined;
  },
  stamp: EventStamp,
): Promise<void> {
  const effective = v.effective ?? dayOf(stamp);
  if (!v.conflict) {
    await anyDb(db)
      .insertInto(versionsTableOf(def))
      .values({
        id: `${v.recordId}:${v.version}`,
        record_id: v.recordId,
        version: v.version,
        seq: stamp.seq,
        effective,
        submission_id: v.submissionId,
        ...propertyColumns(def, v.properties),
      })
      .execute();
  }
  await registersDb(db)
    .insertInto('register_versions')
    .values({
      id: `${v.recordId}:${v.version}`,
      register_id: def.id,
      record_id: v.recordId,
      version: v.version,
      seq: stamp.seq,
      source: v.source,
      submission_id: v.submissionId,
      base_version: v.base,
      conflict: v.conflict ? 1 : 0,
      properties: JSON.stringify(propertyColumns(def, v.properties)),
      members: JSON.stringify(v.members),
      actor: stamp.actor,
      at: stamp.at,
      effective,
    })
    .execute();
}

/** The day (China time) of an event's stamp: the default effective day of what it does. */
export const dayOf = (stamp: Pick<EventStamp, 'at'>): string => todayInChina(Date.parse(stamp.at));

/**
 * The columns every dated history row shares (a status, an owner): the record's state from
 * `effective` on, keyed by the event; the record's row holds the latest.
 */
const datedRow = (def: RegisterDefinition, recordId: string, effective: string, stamp: EventStamp) => ({
  id: `${recordId}:${stamp.seq}`,
  register_id: def.id,
  record_id: recordId,
  seq: stamp.seq,
  effective,
  actor: stamp.actor,
  at: stamp.at,
});

/** A status the record takes from `effective` on. */
async function insertStatus(
  db: Kysely<Database>,
  def: RegisterDefinition,
  s: { recordId: string; status: string; reason: string | null; effective: string },
  stamp: EventStamp,
): Promise<void> {
  await registersDb(db)
    .insertInto('register_statuses')
    .values({ ...datedRow(def, s.recordId, s.effective, stamp), status: s.status, reason: s.reason })
    .execute();
}

/** The unit that owns the record from `effective` on. */
async function insertOwner(
  db: Kysely<Database>,
  def: RegisterDefinition,
  o: { recordId: string; orgCode: string; orgPath: string; effective: string },
  stamp: EventStamp,
): Promise<void> {
  await registersDb(db)
    .insertInto('register_owners')
    .values({ ...datedRow(def, o.recordId, o.effective, stamp), org_code: o.orgCode, org_path: o.orgPath })
    .execute();
}

async function latestVersionNumber(db: Kysely<Database>, recordId: string): Promise<number> {
  const r = await registersDb(db)
    .selectFrom('register_versions')
    .select((eb) => eb.fn.max('version').as('n'))
    .where('record_id', '=', recordId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * The identity check: every identifier of an active record (its key and its members) may belong
 * to one active record only. A clash is flagged once per pair and identifier, as a task for the
 * owning unit of the record just written; the member index is then replaced.
 */
async function indexMembers(
  db: Kysely<Database>,
  def: RegisterDefinition,
  record: Pick<RecordRow, 'id' | 'key' | 'status' | 'owner_org_path'>,
  members: readonly string[],
  stamp: EventStamp,
  /** A new record: who holds its identifiers, read with its key (it has no index rows to replace). */
  fresh?: readonly Holder[],
): Promise<void> {
  const rdb = registersDb(db);
  if (!fresh) await rdb.deleteFrom('register_members').where('record_id', '=', record.id).execute();
  if (record.status !== 'active') return;
  const ids = [record.key, ...members];
  const hits =
    fresh ??
    (await rdb
      .selectFrom('register_members')
      .select(['id_number', 'record_id'])
      .where('register_id', '=', def.id)
      .where('id_number', 'in', ids)
      .where('record_id', '!=', record.id)
      .orderBy('id_number')
      .orderBy('record_id')
      .execute());
  // The index holds active records only (others are removed when they leave active), but a
  // record merged or closed in the same fold step is checked again here.
  const active =
    hits.length === 0
      ? new Set<string>()
      : new Set(
          (
            await anyDb(db)
              .selectFrom(tableOf(def))
              .select('id')
              .where('id', 'in', [...new Set(hits.map((h) => h.record_id))])
              .where('status', '=', 'active')
              .execute()
          ).map((r) => String(r.id)),
        );
  const others = hits.filter((h) => active.has(h.record_id));
  if (others.length > 0) {
    const open = await rdb
      .selectFrom('register_flags')
      .select(['record_id', 'other_record_id', 'subject'])
      .where('register_id', '=', def.id)
      .where('kind', '=', 'duplicate')
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('record_id', '=', record.id), eb('other_record_id', '=', record.id)]))
      .execute();
    const seen = new Set(
      open.map((f) => [f.subject, [f.record_id, f.other_record_id].sort().join('|')].join('#')),
    );
    let i = 0;
    for (const o of others) {
      const pair = [record.id, o.record_id].sort().join('|');
      const mark = `${o.id_number}#${pair}`;
      if (seen.has(mark)) continue;
      seen.add(mark);
      await insertFlag(db, def, {
        id: `${record.id}:dup:${stamp.seq}:${i++}`,
        kind: 'duplicate',
        record_id: record.id,
        other_record_id: o.record_id,
        version: null,
        subject: o.id_number,
        org_path: record.owner_org_path,
        stamp,
      });
    }
  }
  await rdb
    .insertInto('register_members')
    .values(
      ids.map((id, n) => ({
        register_id: def.id,
        id_number: id,
        record_id: record.id,
        role: n === 0 ? 'head' : 'member',
      })),
    )
    .execute();
}

async function insertFlag(
  db: Kysely<Database>,
  def: RegisterDefinition,
  f: Pick<
    RegisterFlagTable,
    'id' | 'kind' | 'record_id' | 'other_record_id' | 'version' | 'subject' | 'org_path'
  > & {
    stamp: EventStamp;
  },
): Promise<void> {
  await registersDb(db)
    .insertInto('register_flags')
    .values({
      id: f.id,
      register_id: def.id,
      kind: f.kind,
      record_id: f.record_id,
      other_record_id: f.other_record_id,
      version: f.version,
      subject: f.subject,
      org_path: f.org_path,
      status: 'open',
      seq: f.stamp.seq,
      created_at: f.stamp.at,
      resolved_at: null,
      resolved_by: null,
      resolution: null,
    })
    .execute();
}

/** A record holding an identifier in the member index. */
interface Holder {
  readonly id_number: string;
  readonly record_id: string;
}

/**
 * The record a key leads to and, in the same statement, the records holding any of `ids` in the
 * member index (what a new record's identity check needs), ordered as that check reads them.
 */
async function keyAndHolders(
  db: Kysely<Database>,
  def: RegisterDefinition,
  key: string,
  ids: readonly string[],
): Promise<{ existing: string | undefined; holders: Holder[] }> {
  const rdb = registersDb(db);
  const rows = await rdb
    .selectFrom('register_keys')
    .select([sql<string>`'key'`.as('kind'), 'key as id_number', 'record_id'])
    .where('register_id', '=', def.id)
    .where('key', '=', key)
    .unionAll(
      rdb
        .selectFrom('register_members')
        .select([sql<string>`'member'`.as('kind'), 'id_number', 'record_id'])
        .where('register_id', '=', def.id)
        .where('id_number', 'in', [...ids]),
    )
    .orderBy('id_number')
    .orderBy('record_id')
    .execute();
  return {
    existing: rows.find((r) => r.kind === 'key')?.record_id,
    holders: rows
      .filter((r) => r.kind === 'member')
      .map((r) => ({ id_number: r.id_number, record_id: r.record_id })),
  };
}

/** A new record, or a new version of the record its key leads to (a stale base: stored as a conflict). */
export async function applyWrite(
  db: Kysely<Database>,
  def: RegisterDefinition,
  w: Extracted & {
    readonly source: 'submission' | 'import';
    readonly submissionId: string | null;
    readonly orgCode: string;
    readonly orgPath: string;
  },
  stamp: EventStamp,
): Promise<{ recordId: string; version: number; conflict: boolean }> {
  const t = anyDb(db);
  const table = tableOf(def);
  const { existing, holders } = await keyAndHolders(db, def, w.key, [w.key, ...w.members]);
  if (existing === undefined) {
    const id = `${def.id}_${stamp.seq}`;
    const row: RecordRow = {
      id,
      key: w.key,
      status: 'active',
      status_reason: null,
      owner_org_code: w.orgCode,
      owner_org_path: w.orgPath,
      current_version: 1,
      open_conflicts: 0,
      merged_into: null,
      current_submission: w.submissionId,
      created_at: stamp.at,
      updated_at: stamp.at,
      ...propertyColumns(def, w.properties),
    };
    await t.insertInto(table).values(row).execute();
    await registersDb(db)
      .insertInto('register_keys')
      .values({ register_id: def.id, key: w.key, record_id: id })
      .execute();
    await insertVersion(
      db,
      def,
      {
        recordId: id,
        version: 1,
        source: w.source,
        submissionId: w.submissionId,
        base: w.base ?? null,
        conflict: false,
        properties: w.properties,
        members: w.members,
        effective: w.effective,
      },
      stamp,
    );
    const since = w.effective ?? dayOf(stamp);
    await insertStatus(db, def, { recordId: id, status: 'active', reason: null, effective: since }, stamp);
    await insertOwner(
      db,
      def,
      { recordId: id, orgCode: w.orgCode, orgPath: w.orgPath, effective: since },
      stamp,
    );
    await indexMembers(db, def, row, w.members, stamp, holders);
    return { recordId: id, version: 1, conflict: false };
  }
  const record = (await recordById(db, def, existing)) as RecordRow;
  const version = (await latestVersionNumber(db, record.id)) + 1;
  const conflict = w.base !== undefined && w.base < record.current_version;
  await insertVersion(
    db,
    def,
    {
      recordId: record.id,
      version,
      source: w.source,
      submissionId: w.submissionId,
      base: w.base ?? null,
      conflict,
      properties: w.properties,
      members: w.members,
      effective: w.effective,
    },
    stamp,
  );
  if (conflict) {
    await t
      .updateTable(table)
      .set({ open_conflicts: record.open_conflicts + 1, updated_at: stamp.at })
      .where('id', '=', record.id)
      .execute();
    await insertFlag(db, def, {
      id: `${record.id}:conflict:${version}`,
      kind: 'conflict',
      record_id: record.id,
      other_record_id: null,
      version,
      subject: null,
      org_path: record.owner_org_path,
      stamp,
    });
    return { recordId: record.id, version, conflict };
  }
  await t
    .updateTable(table)
    .set({
      ...propertyColumns(def, w.properties),
      current_version: version,
      ...(w.submissionId ? { current_submission: w.submissionId } : {}),
      updated_at: stamp.at,
    })
    .where('id', '=', record.id)
    .execute();
  await indexMembers(db, def, record, w.members, stamp);
  return { recordId: record.id, version, conflict };
}

/** A submission already in the register was saved again: its version takes the corrected values. */
export async function correctVersion(
  db: Kysely<Database>,
  def: RegisterDefinition,
  versionId: string,
  w: Extracted,
  stamp: EventStamp,
): Promise<void> {
  const rdb = registersDb(db);
  const v = await rdb
    .selectFrom('register_versions')
    .selectAll()
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
  const effective = w.effective ?? v.effective ?? dayOf(stamp);
  await rdb
    .updateTable('register_versions')
    .set({
      properties: JSON.stringify(propertyColumns(def, w.properties)),
      members: JSON.stringify(w.members),
      effective,
    })
    .where('id', '=', versionId)
    .execute();
  await anyDb(db)
    .updateTable(versionsTableOf(def))
    .set({ ...propertyColumns(def, w.properties), effective })
    .where('id', '=', versionId)
    .execute();
  const record = await recordById(db, def, v.record_id);
  if (!record || record.current_version !== v.version || v.conflict === 1) return;
  await anyDb(db)
    .updateTable(tableOf(def))
    .set({ ...propertyColumns(def, w.properties) })
    .where('id', '=', record.id)
    .execute();
  await indexMembers(db, def, record, w.members, stamp);
}

/** Closes a flag; a conflict resolved with `take` makes the conflicting version's values current. */
export async function applyResolve(
  db: Kysely<Database>,
  def: RegisterDefinition,
  a: { readonly flagId: string; readonly choice: 'keep' | 'take' | 'dismiss' },
  stamp: EventStamp,
): Promise<void> {
  const rdb = registersDb(db);
  const flag = await rdb
    .selectFrom('register_flags')
    .selectAll()
    .where('id', '=', a.flagId)
    .executeTakeFirst();
  if (flag?.status !== 'open') return;
  await rdb
    .updateTable('register_flags')
    .set({ status: 'resolved', resolution: a.choice, resolved_at: stamp.at, resolved_by: stamp.actor })
    .where('id', '=', flag.id)
    .execute();
  if (flag.kind !== 'conflict') return;
  const record = (await recordById(db, def, flag.record_id)) as RecordRow;
  const set: Record<string, unknown> = {
    open_conflicts: Math.max(0, record.open_conflicts - 1),
    updated_at: stamp.at,
  };
  if (a.choice === 'take') {
    const v = await rdb
      .selectFrom('register_versions')
      .selectAll()
      .where('record_id', '=', record.id)
      .where('version', '=', flag.version ?? -1)
      .executeTakeFirstOrThrow();
    const properties = JSON.parse(v.properties) as Record<string, PropertyValue>;
    const members = JSON.parse(v.members) as string[];
    const version = (await latestVersionNumber(db, record.id)) + 1;
    await insertVersion(
      db,
      def,
      {
        recordId: record.id,
        version,
        source: 'resolve',
        submissionId: v.submission_id,
        base: record.current_version,
        conflict: false,
        properties,
        members,
        effective: v.effective,
      },
      stamp,
    );
    Object.assign(set, propertyColumns(def, properties), {
      current_version: version,
      ...(v.submission_id ? { current_submission: v.submission_id } : {}),
    });
    await anyDb(db).updateTable(tableOf(def)).set(set).where('id', '=', record.id).execute();
    await indexMembers(db, def, record, members, stamp);
    return;
  }
  await anyDb(db).updateTable(tableOf(def)).set(set).where('id', '=', record.id).execute();
}

/** `drop` becomes part of `keep`: its keys lead to `keep`, its history stays, flags between them close. */
export async function applyMerge(
  db: Kysely<Database>,
  def: RegisterDefinition,
  a: { readonly keep: string; readonly drop: string },
  stamp: EventStamp,
): Promise<void> {
  const rdb = registersDb(db);
  const keep = (await recordById(db, def, a.keep)) as RecordRow;
  await anyDb(db)
    .updateTable(tableOf(def))
    .set({ status: 'merged', merged_into: a.keep, updated_at: stamp.at })
    .where('id', '=', a.drop)
    .execute();
  await insertStatus(
    db,
    def,
    { recordId: a.drop, status: 'merged', reason: null, effective: dayOf(stamp) },
    stamp,
  );
  await rdb.updateTable('register_keys').set({ record_id: a.keep }).where('record_id', '=', a.drop).execute();
  await rdb.deleteFrom('register_members').where('record_id', '=', a.drop).execute();
  await rdb
    .updateTable('register_flags')
    .set({ status: 'resolved', resolution: 'merged', resolved_at: stamp.at, resolved_by: stamp.actor })
    .where('status', '=', 'open')
    .where('kind', '=', 'duplicate')
    .where((eb) =>
      eb.or([
        eb.and([eb('record_id', '=', a.keep), eb('other_record_id', '=', a.drop)]),
        eb.and([eb('record_id', '=', a.drop), eb('other_record_id', '=', a.keep)]),
      ]),
    )
    .execute();
  const current = await rdb
    .selectFrom('register_versions')
    .selectAll()
    .where('record_id', '=', keep.id)
    .where('version', '=', keep.current_version)
    .executeTakeFirstOrThrow();
  const version = (await latestVersionNumber(db, keep.id)) + 1;
  await insertVersion(
    db,
    def,
    {
      recordId: keep.id,
      version,
      source: `merge:${a.drop}`,
      submissionId: null,
      base: keep.current_version,
      conflict: false,
      properties: JSON.parse(current.properties) as Record<string, PropertyValue>,
      members: JSON.parse(current.members) as string[],
    },
    stamp,
  );
  await anyDb(db)
    .updateTable(tableOf(def))
    .set({ current_version: version, updated_at: stamp.at })
    .where('id', '=', keep.id)
    .execute();
}

/** The record (and its open tasks) move to another unit, owned by it from the day the transfer completes. */
export async function applyTransfer(
  db: Kysely<Database>,
  def: RegisterDefinition,
  a: { readonly record: string; readonly toCode: string; readonly toPath: string },
  stamp: EventStamp,
): Promise<void> {
  await anyDb(db)
    .updateTable(tableOf(def))
    .set({ owner_org_code: a.toCode, owner_org_path: a.toPath, updated_at: stamp.at })
    .where('id', '=', a.record)
    .execute();
  await insertOwner(
    db,
    def,
    { recordId: a.record, orgCode: a.toCode, orgPath: a.toPath, effective: dayOf(stamp) },
    stamp,
  );
  await registersDb(db)
    .updateTable('register_flags')
    .set({ org_path: a.toPath })
    .where('record_id', '=', a.record)
    .where('status', '=', 'open')
    .execute();
}

/** A status change (moved, closed with a reason …); a record made active again is checked again. */
export async function applyStatus(
  db: Kysely<Database>,
  def: RegisterDefinition,
  a: {
    readonly record: string;
    readonly status: string;
    readonly reason: string | null;
    /** The day the status takes effect (e.g. the day of death); default the day it is recorded. */
    readonly effective?: string | undefined;
  },
  stamp: EventStamp,
): Promise<void> {
  await anyDb(db)
    .updateTable(tableOf(def))
    .set({ status: a.status, status_reason: a.reason, updated_at: stamp.at })
    .where('id', '=', a.record)
    .execute();
  await insertStatus(
    db,
    def,
    { recordId: a.record, status: a.status, reason: a.reason, effective: a.effective ?? dayOf(stamp) },
    stamp,
  );
  const record = (await recordById(db, def, a.record)) as RecordRow;
  const current = await registersDb(db)
    .selectFrom('register_versions')
    .select('members')
    .where('record_id', '=', record.id)
    .where('version', '=', record.current_version)
    .executeTakeFirst();
  await indexMembers(db, def, record, current ? (JSON.parse(current.members) as string[]) : [], stamp);
}
