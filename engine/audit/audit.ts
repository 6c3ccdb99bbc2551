import type { Kysely } from 'kysely';
import { nowIso } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';

/** What changed: only the keys that differ, before and after (a `data` object is compared per field). */
export interface AuditDiff {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  entityType: string;
  entityId: string;
  diff: AuditDiff;
}

export interface NewAuditEntry {
  actor: string | null;
  action: string;
  entityType: string;
  entityId: string;
  orgPath?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** The diff already rendered as JSON (a bulk writer splices stored JSON in); wins over before/after. */
  diffJson?: string;
  /** When it happened; the writer's clock otherwise. */
  at?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The changed keys of two snapshots; nested objects (such as `data`) are diffed one level down. */
export function diffSnapshots(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): AuditDiff {
  if (!before || !after) return { before: before ?? null, after: after ?? null };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const x = before[key];
    const y = after[key];
    if (same(x, y)) continue;
    if (isRecord(x) && isRecord(y)) {
      const inner = diffSnapshots(x, y);
      b[key] = inner.before;
      a[key] = inner.after;
    } else {
      if (key in before) b[key] = x;
      if (key in after) a[key] = y;
    }
  }
  return { before: b, after: a };
}

/** An entry as stored (`audit_log` without its generated id). */
export interface AuditRow {
  at: string;
  actor: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  org_path: string | null;
  diff: string;
}

/** The stored row of an entry: the one formatter of the log, for single writes and bulk ones alike. */
export function auditRow(e: NewAuditEntry, at: string = e.at ?? nowIso()): AuditRow {
  return {
    at: e.at ?? at,
    actor: e.actor,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    org_path: e.orgPath ?? null,
    diff: e.diffJson ?? JSON.stringify(diffSnapshots(e.before, e.after)),
  };
}

/**
 * Appends one entry, or several in one statement. Pass the transaction that makes the change, so
 * the entry is written exactly when the change is (the log is append-only: nothing here updates
 * or deletes).
 */
export async function writeAudit(
  db: Kysely<Database>,
  e: NewAuditEntry | readonly NewAuditEntry[],
): Promise<void> {
  const list = Array.isArray(e) ? (e as readonly NewAuditEntry[]) : [e as NewAuditEntry];
  if (list.length === 0) return;
  const at = nowIso();
  await db
    .insertInto('audit_log')
    .values(list.map((x) => auditRow(x, at)))
    .execute();
}

/** Where an entry stands in the log (its id orders every event) and when it was written. */
export interface AuditStamp {
  readonly id: number;
  readonly at: string;
}

/**
 * Appends entries in one statement, like `writeAudit`, and says where each stands in the log, in
 * the order given (a multi-row insert numbers its rows in order, so sorted ids map back to them).
 */
export async function writeAuditEntries(
  db: Kysely<Database>,
  entries: readonly NewAuditEntry[],
): Promise<AuditStamp[]> {
  if (entries.length === 0) return [];
  const at = nowIso();
  const rows = await db
    .insertInto('audit_log')
    .values(entries.map((x) => auditRow(x, at)))
    .returning(['id', 'at'])
    .execute();
  return rows.map((r) => ({ id: Number(r.id), at: r.at })).sort((a, b) => a.id - b.id);
}

/**
 * Appends one entry and says where it stands in the log (its id orders every event) and when it
 * was written: one statement, for a writer that folds the log later in the same order.
 */
export async function writeAuditEntry(
  db: Kysely<Database>,
  e: NewAuditEntry,
): Promise<{ readonly id: number; readonly at: string }> {
  const r = await db
    .insertInto('audit_log')
    .values(auditRow(e))
    .returning(['id', 'at'])
    .executeTakeFirstOrThrow();
  return { id: Number(r.id), at: r.at };
}

/** The history of one entity, oldest first. */
export async function listAudit(
  db: Kysely<Database>,
  entityType: string,
  entityId: string,
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...auditFields(r), diff: JSON.parse(r.diff) as AuditDiff }));
}

/** An audit row's columns under the names the API gives them (the diff left to the caller). */
export function auditFields(r: {
  id: number | bigint | string;
  at: string;
  actor: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
}): Omit<AuditEntry, 'diff'> {
  return {
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
  };
}
