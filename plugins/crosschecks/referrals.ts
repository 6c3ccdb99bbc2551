import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
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
import { type Actor, addDays } from './import-delivery.ts';
import { crosschecksDb, type ReferralItemTable, type ReferralTable } from './tables.ts';
import type { ReferralView } from './views.ts';

/**
 * Referrals (转介) for targeted assistance: a family, from a finding or a case, referred to a
 * department (medical, education, housing, employment) with a due date; the family's requests
 * (诉求) become items with a status. The department's users answer (a user the county assigns to
 * a department answers that department's referrals within its unit's subtree), or civil affairs
 * at county level or above records the answer. Every step is audited.
 */

export const DEPARTMENTS = ['medical', 'education', 'housing', 'employment'] as const;
export type Department = (typeof DEPARTMENTS)[number];
export const ANSWERS = ['accepted', 'done', 'declined'] as const;
export type Answer = (typeof ANSWERS)[number];
export const ITEM_STATUSES = ['open', 'in_progress', 'done', 'not_possible'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Who acts on referrals: the actor with its roles (answer rights depend on them). */
export interface ReferralActor extends Actor {
  readonly roles: readonly string[];
}

/** The same answer whether the object does not exist or lies outside the caller's subtree (no echo of the id). */
const notFound = (_id: string) => crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND');

/** The family's requests as items: one per line or sentence (`；`, `;`, `。`). */
export const requestItems = (text: unknown): string[] =>
  typeof text === 'string'
    ? text
        .split(/[\n;；。]+/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .slice(0, 20)
    : [];

function view(r: ReferralTable, items: ReferralItemTable[], pii: boolean, today: string): ReferralView {
  return {
    id: r.id,
    source: r.source,
    sourceId: r.source_id,
    subject: pii ? r.subject : maskIdNumber(r.subject),
    recordId: r.record_id,
    department: r.department,
    note: r.note,
    status: r.status,
    overdue: (r.status === 'open' || r.status === 'accepted') && r.due_date < today,
    answer: r.answer,
    ownerOrgCode: r.owner_org_code,
    dueDate: r.due_date,
    createdBy: r.created_by,
    createdAt: r.created_at,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
    items: items.map((i) => ({ id: i.id, text: i.text, status: i.status, note: i.note })),
  };
}

/** The department a user answers for, if the county assigned one. */
export async function departmentOf(db: Kysely<Database>, username: string): Promise<string | undefined> {
  const r = await crosschecksDb(db)
    .selectFrom('crosscheck_department_users')
    .select('department')
    .where('username', '=', username)
    .executeTakeFirst();
  return r?.department;
}

/** Civil affairs at county level or above (a path of at most three codes) with a reviewing role. */
export const isCountyCivilAffairs = (a: ReferralActor) =>
  a.orgPath.split('/').filter(Boolean).length <= 3 && a.roles.some((r) => r === 'admin' || r === 'reviewer');

export interface NewReferral {
  readonly findingId?: string;
  readonly caseId?: string;
  readonly department: Department;
  readonly note?: string;
  readonly dueDays?: number;
  /** The family's requests; from a case, its `requests` field when not given. */
  readonly items?: readonly string[];
  readonly today?: string;
}

export async function createReferral(
  db: Kysely<Database>,
  actor: ReferralActor,
  input: NewReferral,
  clock: Clock = systemClock,
): Promise<ReferralView> {
  const now = clock();
  const today = input.today ?? dayOf(now);
  return writeTransaction(db, async (trx) => {
    const cdb = crosschecksDb(trx);
    let subject: string;
    let recordId: string | null = null;
    let owner: { code: string; path: string };
    let items = [...(input.items ?? [])];
    let source: 'finding' | 'case';
    let sourceId: string;
    if (input.findingId) {
      const f = await cdb
        .selectFrom('crosscheck_findings')
        .selectAll()
        .where('id', '=', input.findingId)
        .executeTakeFirst();
      if (!f?.owner_org_path.startsWith(actor.orgPath)) throw notFound(input.findingId);
      subject = f.subject;
      recordId = f.record_id;
      owner = { code: f.owner_org_code, path: f.owner_org_path };
      source = 'finding';
      sourceId = f.id;
    } else if (input.caseId) {
      // The case's family through the register it entered (its version names the submission).
      const hit = await sql<{
        record_id: string;
        key: string;
        owner_org_code: string;
        owner_org_path: string;
        requests: string | null;
      }>`select r.id as record_id, r.key, r.owner_org_code, r.owner_org_path, r.requests
        from register_versions v join register_households r on r.id = v.record_id
        where v.submission_id = ${input.caseId} and v.register_id = 'households'
        order by v.version desc limit 1`.execute(trx);
      const f = hit.rows[0];
      if (!f?.owner_org_path.startsWith(actor.orgPath)) throw notFound(input.caseId);
      subject = f.key;
      recordId = f.record_id;
      owner = { code: f.owner_org_code, path: f.owner_org_path };
      if (items.length === 0) items = requestItems(f.requests);
      source = 'case';
      sourceId = input.caseId;
    } else {
      throw crosschecksError(
        'NX_ERR_CROSSCHECKS_BAD_ACTION',
        { 'zh-CN': '须指明比对问题或案件', en: 'Name a finding or a case' },
        [
          {
            path: '/findingId',
            code: 'NX_ERR_CROSSCHECKS_BAD_ACTION',
            message: { 'zh-CN': '填写 findingId 或 caseId', en: 'Give findingId or caseId' },
          },
        ],
      );
    }
    const id = `rf_${randomUUID()}`;
    const row: ReferralTable = {
      id,
      source,
      source_id: sourceId,
      subject,
      record_id: recordId,
      department: input.department,
      note: input.note?.trim() || null,
      status: 'open',
      answer: null,
      owner_org_code: owner.code,
      owner_org_path: owner.path,
      due_date: addDays(today, input.dueDays ?? 30),
      created_by: actor.username,
      created_at: now,
      answered_by: null,
      answered_at: null,
    };
    await cdb.insertInto('crosscheck_referrals').values(row).execute();
    const itemRows: ReferralItemTable[] = items.map((text, seq) => ({
      id: `ri_${randomUUID()}`,
      referral_id: id,
      seq,
      text: text.slice(0, 500),
      status: 'open',
      note: null,
      updated_by: actor.username,
      updated_at: now,
    }));
    if (itemRows.length > 0) await cdb.insertInto('crosscheck_referral_items').values(itemRows).execute();
    await writeAudit(trx, {
      actor: actor.username,
      action: 'crosschecks.referral.create',
      entityType: 'crosscheck_referral',
      entityId: id,
      orgPath: owner.path,
      after: { source, sourceId, department: input.department, dueDate: row.due_date, items: items.length },
    });
    return view(row, itemRows, actor.pii, today);
  });
}

/** What a user sees: its department's referrals (a department user), else those of its subtree. */
export async function listReferrals(
  db: Kysely<Database>,
  actor: ReferralActor,
  q: { status?: string; department?: string; today?: string } = {},
  clock: Clock = systemClock,
): Promise<{ items: ReferralView[] }> {
  const today = q.today ?? dayOf(clock());
  const dept = await departmentOf(db, actor.username);
  let s = crosschecksDb(db)
    .selectFrom('crosscheck_referrals')
    .selectAll()
    .where('owner_org_path', 'like', `${actor.orgPath}%`);
  if (dept) s = s.where('department', '=', dept);
  if (q.department) s = s.where('department', '=', q.department);
  if (q.status) s = s.where('status', '=', q.status);
  const rows = await s.orderBy('created_at').orderBy('id').limit(500).execute();
  const items = rows.length
    ? await crosschecksDb(db)
        .selectFrom('crosscheck_referral_items')
        .selectAll()
        .where(
          'referral_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('seq')
        .execute()
    : [];
  return {
    items: rows.map((r) =>
      view(
        r,
        items.filter((i) => i.referral_id === r.id),
        actor.pii,
        today,
      ),
    ),
  };
}

async function referralFor(
  db: Kysely<Database>,
  actor: ReferralActor,
  id: string,
  toAnswer: boolean,
): Promise<ReferralTable> {
  const r = await crosschecksDb(db)
    .selectFrom('crosscheck_referrals')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r?.owner_org_path.startsWith(actor.orgPath)) throw notFound(id);
  const dept = await departmentOf(db, actor.username);
  if (dept !== undefined && dept !== r.department) throw notFound(id);
  if (toAnswer && dept === undefined && !isCountyCivilAffairs(actor))
    throw crosschecksError('NX_ERR_CROSSCHECKS_FORBIDDEN');
  return r;
}

export async function getReferral(
  db: Kysely<Database>,
  actor: ReferralActor,
  id: string,
  clock: Clock = systemClock,
): Promise<ReferralView> {
  const r = await referralFor(db, actor, id, false);
  const items = await crosschecksDb(db)
    .selectFrom('crosscheck_referral_items')
    .selectAll()
    .where('referral_id', '=', id)
    .orderBy('seq')
    .execute();
  return view(r, items, actor.pii, dayOf(clock()));
}

/** The department's answer: accepted (working on it), done, or declined (with a reason). */
export async function answerReferral(
  db: Kysely<Database>,
  actor: ReferralActor,
  id: string,
  status: Answer,
  answer?: string,
  clock: Clock = systemClock,
): Promise<ReferralView> {
  await writeTransaction(db, async (trx) => {
    const r = await referralFor(trx, actor, id, true);
    const text = answer?.trim() ?? '';
    const closed = r.status === 'done' || r.status === 'declined';
    if (closed || (status === 'declined' && !text)) {
      throw crosschecksError(
        'NX_ERR_CROSSCHECKS_BAD_ACTION',
        closed
          ? { 'zh-CN': '该转介已办结', en: 'The referral is already closed' }
          : { 'zh-CN': '拒绝须说明原因', en: 'Declining needs a reason' },
        [
          {
            path: closed ? '/status' : '/answer',
            code: 'NX_ERR_CROSSCHECKS_BAD_ACTION',
            message: closed
              ? { 'zh-CN': '已办结', en: 'Already closed' }
              : { 'zh-CN': '填写 answer', en: 'Give an answer' },
          },
        ],
      );
    }
    const now = clock();
    await crosschecksDb(trx)
      .updateTable('crosscheck_referrals')
      .set({ status, answer: text || r.answer, answered_by: actor.username, answered_at: now })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, {
      actor: actor.username,
      action: 'crosschecks.referral.answer',
      entityType: 'crosscheck_referral',
      entityId: id,
      orgPath: r.owner_org_path,
      before: { status: r.status },
      after: { status, answer: text || null },
    });
  });
  return getReferral(db, actor, id, clock);
}

/** One request's status (open, in_progress, done, not_possible), by the department or the county. */
export async function updateItem(
  db: Kysely<Database>,
  actor: ReferralActor,
  referralId: string,
  itemId: string,
  status: ItemStatus,
  note?: string,
  clock: Clock = systemClock,
): Promise<ReferralView> {
  await writeTransaction(db, async (trx) => {
    const r = await referralFor(trx, actor, referralId, true);
    const cdb = crosschecksDb(trx);
    const item = await cdb
      .selectFrom('crosscheck_referral_items')
      .selectAll()
      .where('id', '=', itemId)
      .where('referral_id', '=', referralId)
      .executeTakeFirst();
    if (!item) throw notFound(itemId);
    const now = clock();
    await cdb
      .updateTable('crosscheck_referral_items')
      .set({ status, note: note?.trim() || item.note, updated_by: actor.username, updated_at: now })
      .where('id', '=', itemId)
      .execute();
    await writeAudit(trx, {
      actor: actor.username,
      action: 'crosschecks.referral.item',
      entityType: 'crosscheck_referral',
      entityId: referralId,
      orgPath: r.owner_org_path,
      before: { item: itemId, status: item.status },
      after: { item: itemId, status, note: note?.trim() || null },
    });
  });
  return getReferral(db, actor, referralId, clock);
}

/**
 * Makes a user a department's account (admins at county level or above). What the account sees
 * stays bounded by its own unit's subtree.
 */
export async function assignDepartmentUser(
  db: Kysely<Database>,
  actor: ReferralActor,
  username: string,
  department: Department,
  clock: Clock = systemClock,
): Promise<void> {
  if (!actor.roles.includes('admin') || !isCountyCivilAffairs(actor))
    throw crosschecksError('NX_ERR_CROSSCHECKS_FORBIDDEN');
  await writeTransaction(db, async (trx) => {
    const cdb = crosschecksDb(trx);
    await cdb.deleteFrom('crosscheck_department_users').where('username', '=', username).execute();
    await cdb
      .insertInto('crosscheck_department_users')
      .values({ username, department, added_by: actor.username, added_at: clock() })
      .execute();
    await writeAudit(trx, {
      actor: actor.username,
      action: 'crosschecks.department.assign',
      entityType: 'user',
      entityId: username,
      orgPath: actor.orgPath,
      after: { department },
    });
  });
}
