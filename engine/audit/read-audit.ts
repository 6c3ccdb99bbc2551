import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { auditFields } from './audit.ts';

/**
 * Reading the audit log in bulk, for plugins that fold it (a register rebuilt from its events):
 * the entries of some entities, oldest first, in keyset pages. The diff stays JSON text: a reader
 * that stops at the first entry it needs parses no more.
 */

/** One stored entry as a bulk read hands it on. */
export interface AuditRecord {
  readonly id: number;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly orgPath: string | null;
  /** The diff as stored (`{"before":…,"after":…}`), not parsed. */
  readonly diffJson: string;
}

export interface AuditQuery {
  readonly entityType: string;
  /** At most 500 ids (one indexed `in` list); more are refused. */
  readonly entityIds: readonly string[];
  /** Only entries of these actions (e.g. `submission.create`). */
  readonly actions?: readonly string[];
  /** Rows per round trip (default 1,000). */
  readonly pageSize?: number;
}

const MAX_IDS = 500;

/**
 * The entries of `entityIds` (of one entity type), in log order (id), page by page with a keyset:
 * one statement when they fit one page.
 *
 * @example for await (const page of auditPages(db, { entityType: 'register', entityIds: ['households'] })) …
 */
export async function* auditPages(db: Kysely<Database>, q: AuditQuery): AsyncGenerator<AuditRecord[]> {
  if (q.entityIds.length === 0) return;
  if (q.entityIds.length > MAX_IDS)
    throw new RangeError(`auditPages: at most ${MAX_IDS} entity ids at a time (got ${q.entityIds.length})`);
  const size = q.pageSize ?? 1000;
  let after: number | undefined;
  for (;;) {
    let sel = db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'org_path', 'diff'])
      .where('entity_type', '=', q.entityType)
      .where('entity_id', 'in', [...q.entityIds]);
    if (q.actions) sel = sel.where('action', 'in', [...q.actions]);
    if (after !== undefined) sel = sel.where('id', '>', after);
    const rows = await sel.orderBy('id').limit(size).execute();
    if (rows.length > 0)
      yield rows.map((r) => ({ ...auditFields(r), orgPath: r.org_path, diffJson: r.diff }));
    const last = rows.at(-1);
    if (!last || rows.length < size) return;
    after = Number(last.id);
  }
}

/** Every entry `auditPages` gives, in one list (for a few entities with a short history). */
export async function readAudit(db: Kysely<Database>, q: AuditQuery): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const page of auditPages(db, q)) out.push(...page);
  return out;
}
