import type { Kysely } from 'kysely';
import {
  type Database,
  maskIdNumber,
  maskPhone,
  readSubmissions,
  submissionCases,
} from '../../engine/entry/server.ts';
import { type RecordRow, recordById } from './apply.ts';
import { registerError } from './load-register.ts';
import type { RecordSection, RecordSectionQuery, RecordSectionReader } from './record-sections.ts';
import type { PropertyType, RegisterDefinition } from './register-schema.ts';
import { registersDb } from './tables.ts';
import { anyDb, tableOf } from './typed-table.ts';
import { columnValue, normaliseKey } from './values.ts';

/**
 * Reading a register for a caller: only records owned inside the caller's subtree, identifiers
 * masked for callers without `pii` (the key, members, pii-marked properties, flagged subjects),
 * lists paged by key set (the last id), filters typed by the property's declared type.
 */

export interface Reader extends RecordSectionReader {
  /** Materialised path bounding what may be read, e.g. `/510000/511900/`. */
  readonly orgPath: string;
  readonly pii: boolean;
}

export interface RecordView {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly ownerOrgCode: string;
  readonly currentVersion: number;
  readonly openConflicts: number;
  readonly mergedInto: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly properties: Record<string, unknown>;
}

const maskKey = (def: RegisterDefinition, reader: Reader, v: string) =>
  reader.pii ? v : def.key.type === 'idcard' ? maskIdNumber(v) : v;
const maskMember = (def: RegisterDefinition, reader: Reader, v: string) =>
  reader.pii ? v : def.members?.type === 'idcard' ? maskIdNumber(v) : v;

function maskProperties(def: RegisterDefinition, reader: Reader, values: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const p of def.properties) {
    let v = values[p.id] ?? null;
    if (typeof v === 'string' && !reader.pii && p.pii)
      v = p.pii === 'idcard' ? maskIdNumber(v) : maskPhone(v);
    if (p.type === 'boolean' && v !== null) v = Number(v) === 1;
    else if ((p.type === 'integer' || p.type === 'number' || p.type === 'money') && v !== null) v = Number(v);
    out[p.id] = v;
  }
  return out;
}

export function recordView(def: RegisterDefinition, reader: Reader, r: RecordRow): RecordView {
  return {
    id: r.id,
    key: maskKey(def, reader, r.key),
    status: r.status,
    statusReason: r.status_reason,
    ownerOrgCode: r.owner_org_code,
    currentVersion: Number(r.current_version),
    openConflicts: Number(r.open_conflicts),
    mergedInto: r.merged_into,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    properties: maskProperties(def, reader, r),
  };
}

/** A record the reader may see, else the same 404 as a record that does not exist. */
export async function recordInScope(
  db: Kysely<Database>,
  def: RegisterDefinition,
  reader: Pick<Reader, 'orgPath'>,
  id: string,
): Promise<RecordRow> {
  const r = await recordById(db, def, id);
  if (!r?.owner_org_path.startsWith(reader.orgPath)) throw registerError('NX_ERR_REGISTERS_NOT_FOUND');
  return r;
}

export const FILTER_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'null', 'notnull'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export interface Filter {
  readonly property: string;
  readonly op: FilterOp;
  readonly value?: string | number | boolean;
}

const SQL_OP = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

export interface ListQuery {
  readonly status?: string;
  /** Only records owned in this unit's subtree (itself inside the reader's). */
  readonly orgPath?: string;
  readonly filters?: readonly Filter[];
  readonly after?: string;
  readonly limit?: number;
}

export async function listRecords(
  db: Kysely<Database>,
  def: RegisterDefinition,
  reader: Reader,
  q: ListQuery,
): Promise<{ items: RecordView[]; next: string | null }> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const types = new Map<string, PropertyType>(def.properties.map((p) => [p.id, p.type]));
  const scope = q.orgPath?.startsWith(reader.orgPath) ? q.orgPath : reader.orgPath;
  let query = anyDb(db).selectFrom(tableOf(def)).selectAll().where('owner_org_path', 'like', `${scope}%`);
  if (q.status) query = query.where('status', '=', q.status);
  for (const [i, f] of (q.filters ?? []).entries()) {
    const type = types.get(f.property);
    if (!type) {
      throw registerError('NX_ERR_REGISTERS_NOT_FOUND', {
        zh: `/filters/${i}/property：没有属性“${f.property}”`,
        en: `/filters/${i}/property: no property "${f.property}"`,
      });
    }
    if (f.op === 'null') query = query.where(f.property, 'is', null);
    else if (f.op === 'notnull') query = query.where(f.property, 'is not', null);
    else {
      const v = columnValue({ type }, f.value);
      if (v === null) {
        throw registerError('NX_ERR_REGISTERS_KEY_INVALID', {
          zh: `/filters/${i}/value：不是 ${type} 类型的值`,
          en: `/filters/${i}/value: not a value of type ${type}`,
        });
      }
      query = query.where(f.property, SQL_OP[f.op], v);
    }
  }
  if (q.after) query = query.where('id', '>', q.after);
  const rows = (await query
    .orderBy('id')
    .limit(limit + 1)
    .execute()) as RecordRow[];
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => recordView(def, reader, r)),
    next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Records an identifier belongs to, as key or member (active or not): the search behind a POST body. */
export async function findByIdentifier(
  db: Kysely<Database>,
  def: RegisterDefinition,
  reader: Reader,
  raw: string,
): Promise<{ record: RecordView; role: 'key' | 'member' }[]> {
  const asKey = normaliseKey(def.key.type, raw);
  const asMember = def.members ? normaliseKey(def.members.type, raw) : undefined;
  if (asKey === undefined && asMember === undefined) throw registerError('NX_ERR_REGISTERS_KEY_INVALID');
  const rdb = registersDb(db);
  const hits = new Map<string, 'key' | 'member'>();
  if (asKey !== undefined) {
    const k = await rdb
      .selectFrom('register_keys')
      .select('record_id')
      .where('register_id', '=', def.id)
      .where('key', '=', asKey)
      .executeTakeFirst();
    if (k) hits.set(k.record_id, 'key');
  }
  if (asMember !== undefined) {
    const ms = await rdb
      .selectFrom('register_members')
      .select(['record_id', 'role'])
      .where('register_id', '=', def.id)
      .where('id_number', '=', asMember)
      .execute();
    for (const m of ms)
      if (!hits.has(m.record_id)) hits.set(m.record_id, m.role === 'head' ? 'key' : 'member');
  }
  const out: { record: RecordView; role: 'key' | 'member' }[] = [];
  for (const [id, role] of [...hits].sort(([a], [b]) => a.localeCompare(b))) {
    const r = await recordById(db, def, id);
    if (r?.owner_org_path.startsWith(reader.orgPath)) out.push({ record: recordView(def, reader, r), role });
  }
  return out;
}

export interface VersionView {
  readonly recordId: string;
  readonly version: number;
  readonly source: string;
  readonly submissionId: string | null;
  readonly baseVersion: number | null;
  readonly conflict: boolean;
  readonly actor: string | null;
  readonly at: string;
  readonly properties: Record<string, unknown>;
  readonly members: string[];
}

export interface FlagView {
  readonly id: string;
  readonly kind: string;
  readonly recordId: string;
  readonly otherRecordId: string | null;
  readonly version: number | null;
  readonly subject: string | null;
  readonly status: string;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolution: string | null;
}

const flagView = (def: RegisterDefinition, reader: Reader, f: Record<string, unknown>): FlagView => ({
  id: String(f.id),
  kind: String(f.kind),
  recordId: String(f.record_id),
  otherRecordId: (f.other_record_id as string | null) ?? null,
  version: f.version === null ? null : Number(f.version),
  subject: typeof f.subject === 'string' ? maskMember(def, reader, f.subject) : null,
  status: String(f.status),
  createdAt: String(f.created_at),
  resolvedAt: (f.resolved_at as string | null) ?? null,
  resolvedBy: (f.resolved_by as string | null) ?? null,
  resolution: (f.resolution as string | null) ?? null,
});

/**
 * One record with its timeline: versions (its own and of records merged into it), flags, statuses,
 * the submissions and workflow cases behind the versions (read through the engine), and the
 * sections other plugins add (`record-sections.ts`: the rules' decisions, the family's benefits),
 * each under its own key and its own rule of who may see it.
 */
export async function showRecord(
  db: Kysely<Database>,
  def: RegisterDefinition,
  reader: Reader,
  id: string,
  sections: readonly RecordSection[] = [],
) {
  const r = await recordInScope(db, def, reader, id);
  const merged = (
    await anyDb(db)
      .selectFrom(tableOf(def))
      .select('id')
      .where('merged_into', '=', r.id)
      .orderBy('id')
      .execute()
  ).map((m) => String(m.id));
  const rdb = registersDb(db);
  const versions = await rdb
    .selectFrom('register_versions')
    .selectAll()
    .where('record_id', 'in', [r.id, ...merged])
    .orderBy('seq')
    .orderBy('id')
    .execute();
  const flags = await rdb
    .selectFrom('register_flags')
    .selectAll()
    .where((eb) => eb.or([eb('record_id', '=', r.id), eb('other_record_id', '=', r.id)]))
    .orderBy('seq')
    .orderBy('id')
    .execute();
  const statuses = await rdb
    .selectFrom('register_statuses')
    .select(['status', 'reason', 'effective', 'actor', 'at'])
    .where('record_id', '=', r.id)
    .orderBy('seq')
    .execute();
  const submissionIds = [...new Set(versions.flatMap((v) => (v.submission_id ? [v.submission_id] : [])))];
  // The record is in the reader's subtree; the submissions behind its versions are shown wherever
  // they were filed (a family transferred in keeps its earlier surveys on its page).
  const submissions = submissionIds.length
    ? await readSubmissions(db, submissionIds, { withData: false })
    : [];
  const cases = submissionIds.length ? await submissionCases(db, submissionIds) : [];
  const recordIds = [r.id, ...merged];
  let keys: Promise<readonly string[]> | undefined;
  const query: RecordSectionQuery = {
    registerId: def.id,
    recordId: r.id,
    recordIds,
    submissionIds,
    keys: () => {
      keys ??= rdb
        .selectFrom('register_keys')
        .select('key')
        .where('record_id', 'in', recordIds)
        .execute()
        .then((rows) => rows.map((k) => k.key));
      return keys;
    },
    reader,
  };
  const added: Record<string, readonly unknown[]> = {};
  for (const section of sections) {
    const lines = await section.read(db, query);
    if (lines !== undefined) added[section.name] = lines;
  }
  return {
    record: recordView(def, reader, r),
    merged,
    versions: versions.map(
      (v): VersionView => ({
        recordId: v.record_id,
        version: Number(v.version),
        source: v.source,
        submissionId: v.submission_id,
        baseVersion: v.base_version === null ? null : Number(v.base_version),
        conflict: Number(v.conflict) === 1,
        actor: v.actor,
        at: v.at,
        properties: maskProperties(def, reader, JSON.parse(v.properties) as Record<string, unknown>),
        members: (JSON.parse(v.members) as string[]).map((m) => maskMember(def, reader, m)),
      }),
    ),
    flags: flags.map((f) => flagView(def, reader, f)),
    /** The record's statuses in order, each with the day it takes effect (the latest is the record's). */
    statuses,
    submissions: submissions.map((s) => ({
      id: s.id,
      formId: s.formId,
      status: s.status,
      orgUnit: s.orgCode,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      deleted: s.deletedAt !== null,
    })),
    // The workflow cases of those submissions, in the stored rows' words (the pages read them so).
    cases: cases.map((c) => ({
      id: c.id,
      submission_id: c.submissionId,
      workflow_id: c.workflowId,
      state: c.state,
      updated_at: c.updatedAt,
    })),
    ...added,
  };
}

/** The open conflicts and duplicates of the reader's subtree: the reviewers' inbox. */
export async function inbox(
  db: Kysely<Database>,
  def: RegisterDefinition,
  reader: Reader,
  q: { kind?: string; after?: string; limit?: number },
): Promise<{ items: FlagView[]; next: string | null }> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  let query = registersDb(db)
    .selectFrom('register_flags')
    .selectAll()
    .where('register_id', '=', def.id)
    .where('status', '=', 'open')
    .where('org_path', 'like', `${reader.orgPath}%`);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((f) => flagView(def, reader, f)),
    next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
