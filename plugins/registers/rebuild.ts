import type { Kysely } from 'kysely';
import {
  type AuditRecord,
  auditPages,
  type Database,
  readAudit,
  readSubmissions,
  submissionPages,
} from '../../engine/entry/server.ts';
import { applyWrite, type EventStamp } from './apply.ts';
import { applyAction, firstMatching, type RegisterAction, SUBMISSION_WRITES } from './events.ts';
import type { RegisterDefinition } from './register-schema.ts';
import { type RegisterTables, registersDb } from './tables.ts';
import { anyDb, ensureRegisterTable, tableOf, versionsTableOf } from './typed-table.ts';
import { extract } from './values.ts';
import { entersWhen } from './when.ts';

/**
 * The register is derived: `rebuild` empties it and folds every event again — each submission of
 * a bound form at the audit entry where it entered (its current data, deleted ones included:
 * a version once written stays), and every recorded action — in audit order, through the same
 * steps the live path takes. Run on a live register it must change nothing (`dumpRegister`
 * before and after are equal); run on a database filled before the register existed it
 * migrates the surveys into records. Duplicates met on the way are flagged, not dropped.
 */

export interface RebuildReport {
  readonly register: string;
  readonly submissions: number;
  readonly actions: number;
  /** Submissions of a bound form whose key is missing or malformed: left out, listed by id. */
  readonly skipped: readonly string[];
  readonly records: number;
  readonly versions: number;
  readonly openConflicts: number;
  readonly openDuplicates: number;
}

const CHUNK = 500;

type Event =
  | { seq: number; stamp: EventStamp; kind: 'submission'; id: string; binding: number }
  | { seq: number; stamp: EventStamp; kind: 'action'; action: RegisterAction };

async function submissionEvents(db: Kysely<Database>, def: RegisterDefinition): Promise<Event[]> {
  const out: Event[] = [];
  for (const [b, binding] of def.forms.entries()) {
    const enters = entersWhen(binding);
    // Every submission of the form ever stored (drafts and deleted ones too: a version once
    // written stays), a keyset page at a time; the order does not matter, events are sorted.
    const pages = submissionPages(db, {
      formId: binding.form,
      orgPath: '/',
      includeDrafts: true,
      includeDeleted: true,
      pageSize: CHUNK,
    });
    for await (const page of pages) {
      const entries = await readAudit(db, {
        entityType: 'submission',
        entityIds: page.map((s) => s.id),
        actions: SUBMISSION_WRITES,
      });
      const bySubmission = new Map<string, AuditRecord[]>();
      for (const e of entries) {
        const list = bySubmission.get(e.entityId) ?? [];
        list.push(e);
        bySubmission.set(e.entityId, list);
      }
      for (const s of page) {
        // The rule sees the submission's final data (what the fold writes, see the known limits).
        const stamp = firstMatching(bySubmission.get(s.id) ?? [], (status) => enters(status, s.data));
        if (stamp) out.push({ seq: stamp.seq, stamp, kind: 'submission', id: s.id, binding: b });
      }
    }
  }
  return out;
}

async function actionEvents(db: Kysely<Database>, def: RegisterDefinition): Promise<Event[]> {
  const out: Event[] = [];
  for await (const page of auditPages(db, { entityType: 'register', entityIds: [def.id] }))
    for (const r of page) {
      const stamp = { seq: r.id, at: r.at, actor: r.actor };
      const action = (JSON.parse(r.diffJson) as { after: RegisterAction }).after;
      out.push({ seq: stamp.seq, stamp, kind: 'action', action });
    }
  return out;
}

/** Deletes the register's rows (pending transfer requests stay: they are requests, not state). */
async function clear(db: Kysely<Database>, def: RegisterDefinition): Promise<void> {
  const rdb = registersDb(db);
  await anyDb(db).deleteFrom(tableOf(def)).execute();
  await anyDb(db).deleteFrom(versionsTableOf(def)).execute();
  for (const t of [
    'register_versions',
    'register_keys',
    'register_members',
    'register_flags',
    'register_statuses',
    'register_owners',
  ] as const)
    await rdb.deleteFrom(t).where('register_id', '=', def.id).execute();
}

export async function rebuildRegister(db: Kysely<Database>, def: RegisterDefinition): Promise<RebuildReport> {
  await ensureRegisterTable(db, def);
  return db.transaction().execute(async (trx) => {
    await clear(trx, def);
    const events = [...(await submissionEvents(trx, def)), ...(await actionEvents(trx, def))].sort(
      (a, b) => a.seq - b.seq,
    );
    const skipped: string[] = [];
    let submissions = 0;
    let actions = 0;
    for (let i = 0; i < events.length; ) {
      // Submissions' data read a chunk at a time, in event order.
      const chunk = events.slice(i, i + CHUNK);
      i += chunk.length;
      const ids = chunk.flatMap((e) => (e.kind === 'submission' ? [e.id] : []));
      const rows = ids.length ? await readSubmissions(trx, ids) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const e of chunk) {
        if (e.kind === 'action') {
          actions++;
          await applyAction(trx, def, e.action, e.stamp);
          continue;
        }
        const row = byId.get(e.id);
        const binding = def.forms[e.binding];
        if (!row || !binding) continue;
        const w = extract(def, binding, row.data);
        if (!w) {
          skipped.push(e.id);
          continue;
        }
        submissions++;
        await applyWrite(
          trx,
          def,
          { ...w, source: 'submission', submissionId: e.id, orgCode: row.orgCode, orgPath: row.orgPath },
          e.stamp,
        );
      }
    }
    const count = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
    const rdb = registersDb(trx);
    const flags = (kind: string) =>
      count(
        rdb
          .selectFrom('register_flags')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('register_id', '=', def.id)
          .where('kind', '=', kind)
          .where('status', '=', 'open')
          .executeTakeFirst(),
      );
    return {
      register: def.id,
      submissions,
      actions,
      skipped,
      records: await count(
        anyDb(trx)
          .selectFrom(tableOf(def))
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst() as Promise<{ n: unknown } | undefined>,
      ),
      versions: await count(
        rdb
          .selectFrom('register_versions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('register_id', '=', def.id)
          .executeTakeFirst(),
      ),
      openConflicts: await flags('conflict'),
      openDuplicates: await flags('duplicate'),
    };
  });
}

/** Every row of a register, ordered, as one JSON text: what "byte for byte" compares. */
export async function dumpRegister(db: Kysely<Database>, def: RegisterDefinition): Promise<string> {
  const norm = (rows: readonly Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
      ),
    );
  const records = await anyDb(db).selectFrom(tableOf(def)).selectAll().orderBy('id').execute();
  // The shared tables hold every register's rows: this register's, each in a stable order.
  const shared = async <T extends keyof RegisterTables>(
    table: T,
    ...order: (keyof RegisterTables[T] & string)[]
  ) => {
    let q = anyDb(db).selectFrom(table).selectAll().where('register_id', '=', def.id);
    for (const column of order) q = q.orderBy(column);
    return q.execute();
  };
  const versions = await shared('register_versions', 'id');
  const keys = await shared('register_keys', 'key');
  const members = await shared('register_members', 'id_number', 'record_id');
  const flags = await shared('register_flags', 'id');
  const statuses = await shared('register_statuses', 'id');
  const owners = await shared('register_owners', 'id');
  const typedVersions = await anyDb(db).selectFrom(versionsTableOf(def)).selectAll().orderBy('id').execute();
  return JSON.stringify({
    records: norm(records),
    versions: norm(versions),
    typedVersions: norm(typedVersions),
    statuses: norm(statuses),
    owners: norm(owners),
    keys: norm(keys),
    members: norm(members),
    flags: norm(flags),
  });
}
