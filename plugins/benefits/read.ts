import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { monthOf } from './months.ts';
import {
  type BenefitChangeTable,
  type BenefitPeriod,
  type BenefitStatus,
  type BenefitTable,
  type BenefitType,
  benefitsDb,
} from './tables.ts';

/** A benefit as the service returns it (camelCase of a `benefits` row). */
export interface Benefit {
  readonly id: string;
  readonly householdKey: string;
  readonly headName: string;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly type: BenefitType;
  readonly period: BenefitPeriod;
  /** The amount in force now, in fen (per month, or the one-off amount). */
  readonly amountCents: number;
  readonly status: BenefitStatus;
  readonly startMonth: string;
  readonly endMonth: string | null;
  readonly nextReviewOn: string | null;
  readonly applicationId: string;
  readonly caseId: string;
  readonly decisionId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** One line of `benefit_changes`. */
export interface BenefitChange {
  readonly id: string;
  readonly benefitId: string;
  readonly action: BenefitChangeTable['action'];
  readonly fromStatus: BenefitStatus | null;
  readonly toStatus: BenefitStatus;
  readonly amountCentsBefore: number | null;
  readonly amountCentsAfter: number;
  readonly effectiveMonth: string;
  readonly reason: string;
  readonly actor: string | null;
  readonly at: string;
}

/** A benefit payable in a month, with the amount in force in that month. */
export interface PayableBenefit {
  readonly benefitId: string;
  readonly householdKey: string;
  readonly headName: string;
  readonly type: BenefitType;
  readonly period: BenefitPeriod;
  readonly amountCents: number;
  readonly orgCode: string;
  readonly orgPath: string;
}

/** A benefit with its status and amount as of a date. */
export interface BenefitAsOf extends Benefit {
  readonly statusAsOf: BenefitStatus;
  readonly amountCentsAsOf: number;
}

export const benefitOf = (r: BenefitTable): Benefit => ({
  id: r.id,
  householdKey: r.household_key,
  headName: r.head_name,
  orgCode: r.org_code,
  orgPath: r.org_path,
  type: r.type,
  period: r.period,
  amountCents: Number(r.amount_cents),
  status: r.status,
  startMonth: r.start_month,
  endMonth: r.end_month,
  nextReviewOn: r.next_review_on,
  applicationId: r.application_id,
  caseId: r.case_id,
  decisionId: r.decision_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export const changeOf = (r: BenefitChangeTable): BenefitChange => ({
  id: r.id,
  benefitId: r.benefit_id,
  action: r.action,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  amountCentsBefore: r.amount_cents_before === null ? null : Number(r.amount_cents_before),
  amountCentsAfter: Number(r.amount_cents_after),
  effectiveMonth: r.effective_month,
  reason: r.reason,
  actor: r.actor,
  at: r.at,
});

export async function getBenefit(db: Kysely<Database>, id: string): Promise<Benefit | undefined> {
  const row = await benefitsDb(db).selectFrom('benefits').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? benefitOf(row) : undefined;
}

/** The changes of one benefit, oldest first (effective month, then when written). */
export async function benefitChanges(db: Kysely<Database>, benefitId: string): Promise<BenefitChange[]> {
  const rows = await benefitsDb(db)
    .selectFrom('benefit_changes')
    .selectAll()
    .where('benefit_id', '=', benefitId)
    .orderBy('effective_month')
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(changeOf);
}

const CHUNK = 500;

/**
 * The status and amount in force in `month` per benefit: the last change effective in or before
 * it (changes sorted by effective month, then time written). Absent when none was effective yet.
 */
async function stateInMonth(
  db: Kysely<Database>,
  ids: readonly string[],
  month: string,
): Promise<Map<string, { status: BenefitStatus; amountCents: number }>> {
  const out = new Map<string, { status: BenefitStatus; amountCents: number }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await benefitsDb(db)
      .selectFrom('benefit_changes')
      .select(['benefit_id', 'to_status', 'amount_cents_after'])
      .where('benefit_id', 'in', ids.slice(i, i + CHUNK))
      .where('effective_month', '<=', month)
      .orderBy('effective_month')
      .orderBy('at')
      .orderBy('id')
      .execute();
    for (const r of rows)
      out.set(r.benefit_id, { status: r.to_status, amountCents: Number(r.amount_cents_after) });
  }
  return out;
}

/**
 * The benefits payable in `month` (`YYYY-MM`) under `orgPath` (a materialised path, `/510000/…/`):
 * monthly ones active in that month, with the amount in force in it; one-off ones whose start
 * month is that month and which were not suspended or stopped by then. Ordered by unit, then
 * household, then type. Past months are answered from `benefit_changes`, not from today's row.
 */
export async function payableForMonth(
  db: Kysely<Database>,
  q: { readonly orgPath: string; readonly month: string },
): Promise<PayableBenefit[]> {
  const rows = await benefitsDb(db)
    .selectFrom('benefits')
    .selectAll()
    .where('org_path', 'like', `${q.orgPath}%`)
    .where('start_month', '<=', q.month)
    .where((eb) => eb.or([eb('end_month', 'is', null), eb('end_month', '>=', q.month)]))
    .orderBy('org_path')
    .orderBy('household_key')
    .orderBy('type')
    .orderBy('id')
    .execute();
  const candidates = rows.filter((r) => r.period === 'monthly' || r.start_month === q.month);
  const state = await stateInMonth(
    db,
    candidates.map((r) => r.id),
    q.month,
  );
  const out: PayableBenefit[] = [];
  for (const r of candidates) {
    const s = state.get(r.id);
    if (s?.status !== 'active' || s.amountCents <= 0) continue;
    out.push({
      benefitId: r.id,
      householdKey: r.household_key,
      headName: r.head_name,
      type: r.type,
      period: r.period,
      amountCents: s.amountCents,
      orgCode: r.org_code,
      orgPath: r.org_path,
    });
  }
  return out;
}

/**
 * A household's benefits with the status and amount in force as of `asOf` (`YYYY-MM-DD`, or a
 * month `YYYY-MM`); benefits that had not started by then are left out. Default: every benefit
 * with its current status.
 */
export async function byHousehold(
  db: Kysely<Database>,
  householdKey: string,
  asOf?: string,
): Promise<BenefitAsOf[]> {
  const rows = await benefitsDb(db)
    .selectFrom('benefits')
    .selectAll()
    .where('household_key', '=', householdKey)
    .orderBy('start_month')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (asOf === undefined)
    return rows.map((r) => ({
      ...benefitOf(r),
      statusAsOf: r.status,
      amountCentsAsOf: Number(r.amount_cents),
    }));
  const month = monthOf(asOf);
  const started = rows.filter((r) => r.start_month <= month);
  const state = await stateInMonth(
    db,
    started.map((r) => r.id),
    month,
  );
  const out: BenefitAsOf[] = [];
  for (const r of started) {
    const s = state.get(r.id);
    if (s) out.push({ ...benefitOf(r), statusAsOf: s.status, amountCentsAsOf: s.amountCents });
  }
  return out;
}
