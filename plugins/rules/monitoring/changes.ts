import type { Kysely } from 'kysely';
import { type Database, maskIdNumber, writeAudit } from '../../../engine/entry/server.ts';
import { rulesError } from '../errors.ts';
import { sortableId } from '../store/ids.ts';
import { type MonitoringChangeTable, monitoringDb } from './tables.ts';

/**
 * The change list: what a re-decision changed for one family, as a work item for its village.
 * Kinds, the first that applies naming the item: `joined` (newly on the 附件3 roster), `left`
 * (left it), `candidate` (became a 低保 candidate), `type` (hardship type changed while listed),
 * `entitlement` (monthly entitlement changed); `revisit` for a re-survey that is overdue.
 */

export const CHANGE_KINDS = ['joined', 'left', 'candidate', 'type', 'entitlement', 'revisit'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What a village may do to close an item. */
export const CLOSE_ACTIONS = ['revisited', 'confirmed', 'corrected', 'referred', 'no-action'] as const;
export type CloseAction = (typeof CLOSE_ACTIONS)[number];

/** The outputs a change compares (the decision's common outputs). */
export interface DecisionSummary {
  readonly inRoster: boolean;
  readonly dibaoCandidate: boolean;
  readonly hardshipType: string | null;
  /** Monthly entitlement in yuan (compared in whole fen). */
  readonly entitlement: number;
}

export function summaryOf(outputs: Readonly<Record<string, unknown>> | undefined): DecisionSummary {
  const o = outputs ?? {};
  return {
    inRoster: o.inRoster === true,
    dibaoCandidate: o.dibaoCandidate === true,
    hardshipType: o.inRoster === true && typeof o.hardshipType === 'string' ? o.hardshipType : null,
    entitlement: typeof o.entitlement === 'number' && Number.isFinite(o.entitlement) ? o.entitlement : 0,
  };
}

const fen = (yuan: number) => Math.round(yuan * 100);

/** The kinds of change between two decisions (empty when nothing a village acts on changed). */
export function changeKinds(before: DecisionSummary, after: DecisionSummary): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (!before.inRoster && after.inRoster) kinds.push('joined');
  if (before.inRoster && !after.inRoster) kinds.push('left');
  if (!before.dibaoCandidate && after.dibaoCandidate) kinds.push('candidate');
  if (before.inRoster && after.inRoster && before.hardshipType !== after.hardshipType) kinds.push('type');
  if (fen(before.entitlement) !== fen(after.entitlement)) kinds.push('entitlement');
  return kinds;
}

export interface ChangeLabel {
  readonly headName?: string;
  readonly idNumber?: string;
}

export function labelOf(data: Readonly<Record<string, unknown>>): ChangeLabel {
  const name = data.headName;
  const id = data.headIdNumber;
  return {
    ...(typeof name === 'string' ? { headName: name } : {}),
    ...(typeof id === 'string' ? { idNumber: id } : {}),
  };
}

export interface NewChange {
  readonly sourceKey: string;
  readonly jobId: string | null;
  readonly rulesetId: string;
  readonly submissionId: string;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly kinds: readonly ChangeKind[];
  readonly before: DecisionSummary | Readonly<Record<string, unknown>>;
  readonly after: DecisionSummary | Readonly<Record<string, unknown>>;
  readonly cause: Readonly<Record<string, unknown>>;
  readonly decisionId: string | null;
  readonly label: ChangeLabel;
}

/** Adds an item once per source key (a job resumed, or two sweeps, never add it twice); true when added. */
export async function addChange(db: Kysely<Database>, c: NewChange, now: string): Promise<boolean> {
  const r = await monitoringDb(db)
    .insertInto('monitoring_changes')
    .values({
      id: sortableId('chg'),
      source_key: c.sourceKey,
      job_id: c.jobId,
      ruleset_id: c.rulesetId,
      submission_id: c.submissionId,
      org_code: c.orgCode,
      org_path: c.orgPath,
      kind: c.kinds[0] ?? 'entitlement',
      kinds: JSON.stringify(c.kinds),
      before: JSON.stringify(c.before),
      after: JSON.stringify(c.after),
      cause: JSON.stringify(c.cause),
      decision_id: c.decisionId,
      label: JSON.stringify(c.label),
      status: 'open',
      action: null,
      note: null,
      created_at: now,
      closed_at: null,
      closed_by: null,
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** One item as the API and the CLI show it. */
export interface ChangeItem {
  readonly id: string;
  readonly kind: string;
  readonly kinds: readonly string[];
  readonly status: string;
  readonly rulesetId: string;
  readonly submissionId: string;
  readonly orgCode: string;
  readonly jobId: string | null;
  readonly headName: string | null;
  /** Masked (`5119**********123X`) unless the reader has `pii`. */
  readonly idNumber: string | null;
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
  readonly cause: Readonly<Record<string, unknown>>;
  readonly decisionId: string | null;
  readonly createdAt: string;
  readonly action: string | null;
  readonly note: string | null;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
}

function itemOf(r: MonitoringChangeTable, pii: boolean): ChangeItem {
  const label = JSON.parse(r.label) as ChangeLabel;
  return {
    id: r.id,
    kind: r.kind,
    kinds: JSON.parse(r.kinds) as string[],
    status: r.status,
    rulesetId: r.ruleset_id,
    submissionId: r.submission_id,
    orgCode: r.org_code,
    jobId: r.job_id,
    headName: label.headName ?? null,
    idNumber: label.idNumber === undefined ? null : pii ? label.idNumber : maskIdNumber(label.idNumber),
    before: JSON.parse(r.before) as Record<string, unknown>,
    after: JSON.parse(r.after) as Record<string, unknown>,
    cause: JSON.parse(r.cause) as Record<string, unknown>,
    decisionId: r.decision_id,
    createdAt: r.created_at,
    action: r.action,
    note: r.note,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
  };
}

export interface ChangeFilter {
  /** The reader's subtree (or a unit inside it). */
  readonly orgPath: string;
  readonly status?: 'open' | 'closed' | 'all';
  readonly kind?: string;
  readonly jobId?: string;
  readonly after?: string;
  readonly limit?: number;
  readonly pii: boolean;
}

/** Items of a subtree, oldest first, paged by id (`next`). */
export async function listChanges(
  db: Kysely<Database>,
  f: ChangeFilter,
): Promise<{ items: ChangeItem[]; next: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 1000);
  let q = monitoringDb(db)
    .selectFrom('monitoring_changes')
    .selectAll()
    .where('org_path', 'like', `${f.orgPath}%`);
  const status = f.status ?? 'open';
  if (status !== 'all') q = q.where('status', '=', status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.jobId) q = q.where('job_id', '=', f.jobId);
  if (f.after) q = q.where('id', '>', f.after);
  const rows = await q
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => itemOf(r, f.pii)),
    next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Open items per unit of a subtree: what each village has to do. */
export async function countOpenChanges(
  db: Kysely<Database>,
  orgPath: string,
): Promise<{ orgCode: string; kind: string; open: number }[]> {
  const rows = await monitoringDb(db)
    .selectFrom('monitoring_changes')
    .select(['org_code', 'kind', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('status', '=', 'open')
    .where('org_path', 'like', `${orgPath}%`)
    .groupBy(['org_code', 'kind'])
    .orderBy('org_code')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({ orgCode: r.org_code, kind: r.kind, open: Number(r.n) }));
}

/**
 * Closes an open item of the closer's subtree with an action (and a note), audited
 * (`monitoring.close`). An item outside the subtree is the same not-found as a missing one.
 */
export async function closeChange(
  db: Kysely<Database>,
  args: {
    readonly id: string;
    readonly action: CloseAction;
    readonly note?: string | undefined;
    readonly actor: string | null;
    readonly orgPath: string;
    readonly now: string;
    readonly pii?: boolean;
  },
): Promise<ChangeItem> {
  if (!(CLOSE_ACTIONS as readonly string[]).includes(args.action))
    throw rulesError(
      'NX_ERR_RULES_INVALID_PARAMETER',
      {
        'zh-CN': `处理结果“${args.action}”无效（可选：${CLOSE_ACTIONS.join('、')}）`,
        en: `Action "${args.action}" is not one of ${CLOSE_ACTIONS.join(', ')}`,
      },
      [
        {
          path: '/body/action',
          code: 'NX_ERR_RULES_INVALID_PARAMETER',
          message: { 'zh-CN': '处理结果无效', en: 'Unknown action' },
        },
      ],
    );
  return db.transaction().execute(async (trx) => {
    const mdb = monitoringDb(trx);
    const row = await mdb
      .selectFrom('monitoring_changes')
      .selectAll()
      .where('id', '=', args.id)
      .where('org_path', 'like', `${args.orgPath}%`)
      .executeTakeFirst();
    if (!row)
      throw rulesError('NX_ERR_RULES_CHANGE_NOT_FOUND', {
        'zh-CN': `找不到变动事项 ${args.id}`,
        en: `Change item ${args.id} not found`,
      });
    if (row.status !== 'open')
      throw rulesError('NX_ERR_RULES_CHANGE_CLOSED', {
        'zh-CN': `变动事项 ${args.id} 已于 ${row.closed_at} 处理（${row.action}）`,
        en: `Change item ${args.id} was closed at ${row.closed_at} (${row.action})`,
      });
    const updated = await mdb
      .updateTable('monitoring_changes')
      .set({
        status: 'closed',
        action: args.action,
        note: args.note ?? null,
        closed_at: args.now,
        closed_by: args.actor,
      })
      .where('id', '=', args.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw rulesError('NX_ERR_RULES_CHANGE_CLOSED', {
        'zh-CN': `变动事项 ${args.id} 已被他人处理`,
        en: `Change item ${args.id} was closed by someone else`,
      });
    await writeAudit(trx, {
      actor: args.actor,
      action: 'monitoring.close',
      entityType: 'monitoring_change',
      entityId: args.id,
      orgPath: row.org_path,
      before: { status: 'open' },
      after: { status: 'closed', action: args.action, ...(args.note ? { note: args.note } : {}) },
    });
    return itemOf(
      {
        ...row,
        status: 'closed',
        action: args.action,
        note: args.note ?? null,
        closed_at: args.now,
        closed_by: args.actor,
      },
      args.pii ?? false,
    );
  });
}
