import type { Kysely } from 'kysely';
import { type Database, readAudit, writeAuditEntry } from '../../engine/entry/server.ts';
import {
  applyMerge,
  applyResolve,
  applyStatus,
  applyTransfer,
  applyWrite,
  type EventStamp,
} from './apply.ts';
import type { RegisterDefinition } from './register-schema.ts';
import type { Extracted } from './values.ts';

/**
 * Events of a register and where they are kept. A submission enters a register at its first
 * audit entry whose status the binding's `when` accepts; a manual action (import row, merge,
 * transfer, status change, resolution) is an audit entry of its own (`entity_type` register,
 * `entity_id` the register's id) carrying its payload. The audit log is append-only and its ids
 * order every event, so the same events fold the same way live and in a rebuild.
 */

export type RegisterAction =
  | {
      readonly kind: 'import';
      readonly row: Extracted & { readonly orgCode: string; readonly orgPath: string };
    }
  | { readonly kind: 'resolve'; readonly flagId: string; readonly choice: 'keep' | 'take' | 'dismiss' }
  | { readonly kind: 'merge'; readonly keep: string; readonly drop: string }
  | { readonly kind: 'transfer'; readonly record: string; readonly toCode: string; readonly toPath: string }
  | {
      readonly kind: 'status';
      readonly record: string;
      readonly status: string;
      readonly reason: string | null;
      /** The day it takes effect (absent: the day it is recorded). */
      readonly effective?: string;
    };

/** The status an audit entry of a submission leaves it in (undefined: unchanged). */
function statusAfter(diff: string): string | undefined {
  const d = JSON.parse(diff) as { after?: { status?: unknown } | null };
  const s = d.after?.status;
  return typeof s === 'string' ? s : undefined;
}

/**
 * Entries of one submission, oldest first, each with its status: the first one `enters` accepts
 * is when it entered (the binding's `when`, given that status; the data is the submission's own).
 */
export function firstMatching(
  entries: readonly { id: number; at: string; actor: string | null; diffJson: string }[],
  enters: (status: string | undefined) => boolean,
): EventStamp | undefined {
  let status: string | undefined;
  for (const e of entries) {
    status = statusAfter(e.diffJson) ?? status;
    if (status !== undefined && enters(status)) return { seq: Number(e.id), at: e.at, actor: e.actor };
  }
  return undefined;
}

/** The audit actions that write a submission's data or status. */
export const SUBMISSION_WRITES = ['submission.create', 'submission.update'] as const;

/** When a submission entered the register (its audit entries read in the save's transaction). */
export async function submissionStamp(
  db: Kysely<Database>,
  submissionId: string,
  enters: (status: string | undefined) => boolean,
): Promise<EventStamp | undefined> {
  const entries = await readAudit(db, {
    entityType: 'submission',
    entityIds: [submissionId],
    actions: SUBMISSION_WRITES,
  });
  return firstMatching(entries, enters);
}

/** Records an action in the audit log and returns its stamp; the caller applies it in the same transaction. */
export async function recordAction(
  db: Kysely<Database>,
  def: RegisterDefinition,
  action: RegisterAction,
  actor: string | null,
  orgPath: string | null,
  at?: string,
): Promise<EventStamp> {
  const e = await writeAuditEntry(db, {
    ...(at ? { at } : {}),
    actor,
    action: `register.${action.kind}`,
    entityType: 'register',
    entityId: def.id,
    orgPath,
    after: { ...action },
  });
  return { seq: e.id, at: e.at, actor };
}

/** Applies a recorded action: the one step both the live routes and the rebuild take. */
export async function applyAction(
  db: Kysely<Database>,
  def: RegisterDefinition,
  action: RegisterAction,
  stamp: EventStamp,
): Promise<void> {
  switch (action.kind) {
    case 'import':
      await applyWrite(db, def, { ...action.row, source: 'import', submissionId: null }, stamp);
      return;
    case 'resolve':
      await applyResolve(db, def, action, stamp);
      return;
    case 'merge':
      await applyMerge(db, def, action, stamp);
      return;
    case 'transfer':
      await applyTransfer(db, def, action, stamp);
      return;
    case 'status':
      await applyStatus(db, def, action, stamp);
      return;
  }
}

/** Records and applies an action in one go (the caller's transaction). */
export async function act(
  db: Kysely<Database>,
  def: RegisterDefinition,
  action: RegisterAction,
  actor: string | null,
  orgPath: string | null,
  at?: string,
): Promise<EventStamp> {
  const stamp = await recordAction(db, def, action, actor, orgPath, at);
  await applyAction(db, def, action, stamp);
  return stamp;
}
