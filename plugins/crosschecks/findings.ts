import type { Kysely } from 'kysely';
import {
  type Clock,
  type Database,
  maskIdNumber,
  systemClock,
  writeAudit,
  writeTransaction,
} from '../../engine/entry/server.ts';
import { dayOf } from './clock.ts';
import { crosschecksError } from './errors.ts';
import type { Actor } from './import-delivery.ts';
import { crosschecksDb, type FindingTable } from './tables.ts';
import type { FindingView } from './views.ts';

/** How a finding is closed by the unit that owns it. */
export const CLOSE_ACTIONS = ['corrected', 'not_applicable', 'survey_done'] as const;
export type CloseAction = (typeof CLOSE_ACTIONS)[number];

const ID = /^\d{17}[\dX]$/;

export function findingView(f: FindingTable, pii: boolean, today: string): FindingView {
  const compared = JSON.parse(f.compared) as Record<string, unknown>;
  if (!pii)
    for (const [k, v] of Object.entries(compared))
      if (typeof v === 'string' && ID.test(v)) compared[k] = maskIdNumber(v);
  return {
    id: f.id,
    comparison: f.comparison_id,
    rule: f.rule_id,
    list: f.list_id,
    type: f.type,
    severity: f.severity,
    subject: pii ? f.subject : maskIdNumber(f.subject),
    recordId: f.record_id,
    deliveryId: f.delivery_id,
    compared,
    ownerOrgCode: f.owner_org_code,
    status: f.status,
    overdue: f.status === 'open' && f.due_date < today,
    resolution: f.resolution,
    reason: f.reason,
    dueDate: f.due_date,
    createdAt: f.created_at,
    closedAt: f.closed_at,
    closedBy: f.closed_by,
  };
}

export interface FindingQuery {
  status?: 'open' | 'closed';
  type?: string;
  severity?: string;
  comparison?: string;
  /** Only units under this path (inside the actor's subtree). */
  orgPath?: string;
  overdue?: boolean;
  /**
   * `id` (default): by id, oldest first. `due`: by due date, then id — the work list's order
   * (open findings past their due date come first).
   */
  order?: 'id' | 'due';
  /** The last id of the previous page (`next`), in either order. */
  after?: string;
  limit?: number;
  /** The day overdue is judged on (default: the clock's). */
  today?: string;
}

/**
 * Findings of the actor's subtree, a page at a time (keyset: `next` is the last id of the page,
 * passed back as `after`; in due-date order the page goes on after that finding's due date and id).
 */
export async function listFindings(
  db: Kysely<Database>,
  actor: Actor,
  q: FindingQuery = {},
  clock: Clock = systemClock,
): Promise<{ items: FindingView[]; next: string | null }> {
  const today = q.today ?? dayOf(clock());
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const path = q.orgPath?.startsWith(actor.orgPath) ? q.orgPath : actor.orgPath;
  let s = crosschecksDb(db)
    .selectFrom('crosscheck_findings')
    .selectAll()
    .where('owner_org_path', 'like', `${path}%`);
  if (q.status) s = s.where('status', '=', q.status);
  if (q.type) s = s.where('type', '=', q.type);
  if (q.severity) s = s.where('severity', '=', q.severity);
  if (q.comparison) s = s.where('comparison_id', '=', q.comparison);
  if (q.overdue) s = s.where('status', '=', 'open').where('due_date', '<', today);
  const byDue = q.order === 'due';
  if (q.after && byDue) {
    const after = q.after;
    const last = await crosschecksDb(db)
      .selectFrom('crosscheck_findings')
      .select('due_date')
      .where('id', '=', after)
      .where('owner_org_path', 'like', `${actor.orgPath}%`)
      .executeTakeFirst();
    if (!last) {
      throw crosschecksError(
        'NX_ERR_CROSSCHECKS_NOT_FOUND',
        { 'zh-CN': `找不到比对问题“${after}”`, en: `No finding "${after}"` },
        [
          {
            path: '/after',
            code: 'NX_ERR_CROSSCHECKS_NOT_FOUND',
            message: { 'zh-CN': '翻页位置无效', en: 'Not a page position (the last id of a page)' },
          },
        ],
      );
    }
    s = s.where((eb) =>
      eb.or([
        eb('due_date', '>', last.due_date),
        eb.and([eb('due_date', '=', last.due_date), eb('id', '>', after)]),
      ]),
    );
  } else if (q.after) s = s.where('id', '>', q.after);
  const rows = await (byDue ? s.orderBy('due_date').orderBy('id') : s.orderBy('id'))
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((f) => findingView(f, actor.pii, today));
  return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

async function findingInScope(db: Kysely<Database>, actor: Actor, id: string): Promise<FindingTable> {
  const f = await crosschecksDb(db)
    .selectFrom('crosscheck_findings')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!f?.owner_org_path.startsWith(actor.orgPath)) {
    throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND', {
      'zh-CN': `找不到比对问题“${id}”`,
      en: `No finding "${id}"`,
    });
  }
  return f;
}

export async function getFinding(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  clock: Clock = systemClock,
): Promise<FindingView> {
  return findingView(await findingInScope(db, actor, id), actor.pii, dayOf(clock()));
}

/**
 * Closes an open finding of the actor's subtree: `corrected` (the register was put right),
 * `not_applicable` (a reason is required), `survey_done`. Audited; it stays closed until a later
 * delivery shows other compared values.
 */
export async function closeFinding(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  action: CloseAction,
  reason?: string,
  clock: Clock = systemClock,
): Promise<FindingView> {
  return writeTransaction(db, async (trx) => {
    const f = await findingInScope(trx, actor, id);
    const why = reason?.trim() ?? '';
    if (
      !(CLOSE_ACTIONS as readonly string[]).includes(action) ||
      f.status !== 'open' ||
      (action === 'not_applicable' && !why)
    ) {
      const pointer =
        f.status !== 'open' ? '/status' : action === 'not_applicable' && !why ? '/reason' : '/action';
      throw crosschecksError(
        'NX_ERR_CROSSCHECKS_BAD_ACTION',
        f.status !== 'open'
          ? { 'zh-CN': '该问题已关闭', en: 'The finding is already closed' }
          : { 'zh-CN': '“不适用”须说明原因', en: '"Not applicable" needs a reason' },
        [
          {
            path: pointer,
            code: 'NX_ERR_CROSSCHECKS_BAD_ACTION',
            message: { 'zh-CN': `无法以“${action}”关闭`, en: `Cannot close with "${action}"` },
            hint: {
              'zh-CN': `可用：${CLOSE_ACTIONS.join('、')}；not_applicable 需填写 reason`,
              en: `Use one of ${CLOSE_ACTIONS.join(', ')}; not_applicable needs a reason`,
            },
          },
        ],
      );
    }
    const now = clock();
    await crosschecksDb(trx)
      .updateTable('crosscheck_findings')
      .set({
        status: 'closed',
        resolution: action,
        reason: why || null,
        closed_at: now,
        closed_by: actor.username,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, {
      actor: actor.username,
      action: 'crosschecks.finding.close',
      entityType: 'crosscheck_finding',
      entityId: id,
      orgPath: f.owner_org_path,
      before: { status: 'open' },
      after: { status: 'closed', resolution: action, reason: why || null },
    });
    return findingView(
      {
        ...f,
        status: 'closed',
        resolution: action,
        reason: why || null,
        closed_at: now,
        closed_by: actor.username,
      },
      actor.pii,
      dayOf(now),
    );
  });
}
