import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Database, writeAudit } from '../../engine/entry/server.ts';
import { benefitsError } from './errors.ts';
import { addMonths, isMonth } from './months.ts';
import { type Benefit, benefitOf, getBenefit } from './read.ts';
import {
  type BenefitAction,
  type BenefitPeriod,
  type BenefitStatus,
  type BenefitType,
  benefitsDb,
} from './tables.ts';

let lastAt = 0;
/** `now`, moved past the last instant this process wrote, so changes of one month keep their order. */
function changeAt(now: string): string {
  const t = Math.max(Date.parse(now), lastAt + 1);
  lastAt = t;
  return new Date(t).toISOString();
}

export interface NewBenefit {
  readonly householdKey: string;
  readonly headName: string;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly type: BenefitType;
  readonly amountCents: number;
  readonly startMonth: string;
  readonly nextReviewOn: string | null;
  readonly applicationId: string;
  readonly caseId: string;
  readonly decisionId: string | null;
  readonly reason: string;
  readonly actor: string | null;
  readonly now: string;
}

export const periodOf = (type: BenefitType): BenefitPeriod => (type === 'linshi' ? 'once' : 'monthly');

/** Writes a benefit, its `create` change and the audit entry (in the caller's transaction). */
export async function createBenefit(db: Kysely<Database>, b: NewBenefit): Promise<Benefit> {
  const id = randomUUID();
  const period = periodOf(b.type);
  const row = {
    id,
    household_key: b.householdKey,
    head_name: b.headName,
    org_code: b.orgCode,
    org_path: b.orgPath,
    type: b.type,
    period,
    amount_cents: b.amountCents,
    status: 'active' as const,
    start_month: b.startMonth,
    // A one-off benefit is payable in its month only.
    end_month: period === 'once' ? b.startMonth : null,
    next_review_on: b.nextReviewOn,
    application_id: b.applicationId,
    case_id: b.caseId,
    decision_id: b.decisionId,
    created_at: b.now,
    updated_at: b.now,
    version: 1,
  };
  const bdb = benefitsDb(db);
  await bdb.insertInto('benefits').values(row).execute();
  await bdb
    .insertInto('benefit_changes')
    .values({
      id: randomUUID(),
      benefit_id: id,
      action: 'create',
      from_status: null,
      to_status: 'active',
      amount_cents_before: null,
      amount_cents_after: b.amountCents,
      effective_month: b.startMonth,
      reason: b.reason,
      actor: b.actor,
      at: changeAt(b.now),
    })
    .execute();
  const created = benefitOf(row);
  await writeAudit(db, {
    actor: b.actor,
    action: 'benefit.create',
    entityType: 'benefit',
    entityId: id,
    orgPath: b.orgPath,
    before: null,
    after: { ...created, reason: b.reason },
    at: b.now,
  });
  return created;
}

/** A change a caller asks for: everything but `create`. */
export interface BenefitChangeRequest {
  readonly action: Exclude<BenefitAction, 'create'>;
  /** Fen; required for `adjust` (the new amount), not taken otherwise. */
  readonly amountCents?: number;
  /** `YYYY-MM`: from which month it applies. */
  readonly effectiveMonth: string;
  readonly reason: string;
  /** When given, the change is refused unless the benefit is still at this version. */
  readonly version?: number;
  readonly actor: string | null;
  readonly now: string;
}

const ALLOWED: Readonly<Record<BenefitChangeRequest['action'], readonly BenefitStatus[]>> = {
  adjust: ['active', 'suspended'],
  suspend: ['active'],
  resume: ['suspended'],
  stop: ['active', 'suspended'],
};
const TARGET: Readonly<Record<BenefitChangeRequest['action'], BenefitStatus | null>> = {
  adjust: null,
  suspend: 'suspended',
  resume: 'active',
  stop: 'stopped',
};

const invalid = (path: string, zh: string, en: string) =>
  benefitsError('NX_ERR_BENEFITS_INVALID_CHANGE', { 'zh-CN': zh, en }, [
    {
      path,
      code: 'NX_ERR_BENEFITS_INVALID_CHANGE',
      message: { 'zh-CN': zh, en },
      hint: { 'zh-CN': '改正该项后重新提交', en: 'Correct this value and send again' },
    },
  ]);

/**
 * Adjusts, suspends, resumes or stops a benefit from a month on, with a reason: updates the row
 * (compare-and-set on its version), appends a `benefit_changes` line and an audit entry, all in
 * the caller's transaction. Who may do it is the caller's check (civil affairs, in its subtree).
 */
export async function changeBenefit(
  db: Kysely<Database>,
  id: string,
  req: BenefitChangeRequest,
): Promise<Benefit> {
  if (typeof req.reason !== 'string' || req.reason.trim() === '')
    throw invalid('/reason', '请填写变更原因', 'A reason is required');
  if (!isMonth(req.effectiveMonth))
    throw invalid('/effectiveMonth', '生效月份应为 YYYY-MM', 'The effective month is YYYY-MM');
  const current = await getBenefit(db, id);
  if (!current) throw benefitsError('NX_ERR_BENEFITS_NOT_FOUND');
  if (req.version !== undefined && req.version !== current.version)
    throw benefitsError('NX_ERR_BENEFITS_CONFLICT');
  if (!ALLOWED[req.action].includes(current.status))
    throw benefitsError('NX_ERR_BENEFITS_NOT_ALLOWED', {
      'zh-CN': `待遇状态为“${current.status}”，不能执行“${req.action}”`,
      en: `A benefit that is ${current.status} cannot take "${req.action}"`,
    });
  let amount = current.amountCents;
  if (req.action === 'adjust') {
    if (current.period === 'once')
      throw benefitsError('NX_ERR_BENEFITS_NOT_ALLOWED', {
        'zh-CN': '一次性临时救助不能调整金额',
        en: 'A one-off benefit cannot be adjusted',
      });
    if (!Number.isSafeInteger(req.amountCents) || (req.amountCents ?? 0) <= 0)
      throw invalid(
        '/amountCents',
        '调整后的月金额应为大于 0 的整数（分）',
        'The new monthly amount is a whole number of fen above 0',
      );
    amount = req.amountCents as number;
  } else if (req.amountCents !== undefined) {
    throw invalid('/amountCents', '只有调整金额时才填写金额', 'Only an adjustment takes an amount');
  }
  const bdb = benefitsDb(db);
  const last = await bdb
    .selectFrom('benefit_changes')
    .select('effective_month')
    .where('benefit_id', '=', id)
    .orderBy('effective_month', 'desc')
    .limit(1)
    .executeTakeFirst();
  const floor = last && last.effective_month > current.startMonth ? last.effective_month : current.startMonth;
  if (req.effectiveMonth < floor)
    throw invalid(
      '/effectiveMonth',
      `生效月份不能早于 ${floor}（开始发放月份或上一次变更的月份）`,
      `The effective month cannot be before ${floor} (the start month or the last change's month)`,
    );
  const status = TARGET[req.action] ?? current.status;
  const endMonth = req.action === 'stop' ? addMonths(req.effectiveMonth, -1) : current.endMonth;
  const updated = await bdb
    .updateTable('benefits')
    .set({
      status,
      amount_cents: amount,
      end_month: endMonth,
      updated_at: req.now,
      version: current.version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw benefitsError('NX_ERR_BENEFITS_CONFLICT');
  await bdb
    .insertInto('benefit_changes')
    .values({
      id: randomUUID(),
      benefit_id: id,
      action: req.action,
      from_status: current.status,
      to_status: status,
      amount_cents_before: current.amountCents,
      amount_cents_after: amount,
      effective_month: req.effectiveMonth,
      reason: req.reason.trim(),
      actor: req.actor,
      at: changeAt(req.now),
    })
    .execute();
  const after = (await getBenefit(db, id)) as Benefit;
  await writeAudit(db, {
    actor: req.actor,
    action: `benefit.${req.action}`,
    entityType: 'benefit',
    entityId: id,
    orgPath: current.orgPath,
    before: { status: current.status, amountCents: current.amountCents, endMonth: current.endMonth },
    after: {
      status,
      amountCents: amount,
      endMonth,
      effectiveMonth: req.effectiveMonth,
      reason: req.reason.trim(),
    },
    at: req.now,
  });
  return after;
}
