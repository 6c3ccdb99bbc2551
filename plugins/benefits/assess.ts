import type { Kysely } from 'kysely';
import { type Database, getOrgUnit } from '../../engine/entry/server.ts';
import type { Deps, HouseholdRecord } from './deps.ts';
import { HOUSEHOLDS } from './deps.ts';
import { benefitsError } from './errors.ts';
import { BENEFIT_TYPES, type BenefitType } from './tables.ts';

/** What an application asks for, read from its data. */
export function applicationType(data: Readonly<Record<string, unknown>>): BenefitType | undefined {
  const t = data.assistanceType;
  return typeof t === 'string' && (BENEFIT_TYPES as readonly string[]).includes(t)
    ? (t as BenefitType)
    : undefined;
}

const unknownHousehold = (zh: string, en: string) =>
  benefitsError('NX_ERR_BENEFITS_HOUSEHOLD_UNKNOWN', { 'zh-CN': zh, en }, [
    {
      path: '/headIdNumber',
      code: 'NX_ERR_BENEFITS_HOUSEHOLD_UNKNOWN',
      message: { 'zh-CN': zh, en },
      hint: {
        'zh-CN': '先为该家庭填写入户调查表（建立家庭户记录），或核对户主身份证号和所属单位',
        en: "Survey the family first (which creates its household record), or check the head's ID number and the unit",
      },
    },
  ]);

/**
 * The household an application is for: an active record of the households register owned inside
 * `orgCode`'s subtree (the application's unit). Anything else is refused with the same code.
 */
export async function householdOf(
  db: Kysely<Database>,
  deps: Deps,
  data: Readonly<Record<string, unknown>>,
  orgCode: string | undefined,
): Promise<HouseholdRecord> {
  const record = await deps.registers.recordByKey(db, HOUSEHOLDS, data.headIdNumber);
  const unit = orgCode ? await getOrgUnit(db, orgCode) : undefined;
  if (!record || !unit || !record.ownerOrgPath.startsWith(unit.path))
    throw unknownHousehold(
      '家庭户登记簿中本辖区没有该户主身份证号的家庭：须先入户调查建档',
      "No household with this head's ID number in this unit's area of the households register: survey the family first",
    );
  if (record.status !== 'active')
    throw unknownHousehold(
      `该家庭户记录状态为“${record.status}”，不是在册家庭，不能申请`,
      `The household record is "${record.status}", not active: it cannot apply`,
    );
  return record;
}

export interface Assessment {
  readonly type: BenefitType;
  readonly household: HouseholdRecord;
  /** Fen: the entitlement per month, or the one-off amount requested. */
  readonly amountCents: number;
  readonly decisionId: string | null;
  readonly asOf: string;
}

const fen = (yuan: unknown): number =>
  typeof yuan === 'number' && Number.isFinite(yuan) ? Math.round(yuan * 100) : 0;

/** Where a monthly type's amount comes from: a ruleset's output, counted only when `requires` is true. */
export interface AmountRule {
  readonly ruleset: string;
  readonly output: string;
  readonly requires?: string;
}

export type AmountRules = Readonly<Record<'dibao' | 'tekun', AmountRule>>;

/**
 * 低保: the gap to the 低保 standard (household-eligibility's entitlement, for a candidate only);
 * 特困: the 特困 basic living standard × persons (tekun-support), a standard of its own.
 */
export const DEFAULT_AMOUNT_RULES: AmountRules = {
  dibao: { ruleset: 'household-eligibility', output: 'entitlement', requires: 'dibaoCandidate' },
  tekun: { ruleset: 'tekun-support', output: 'supportAmount' },
};

/** Fen: the amount a decision's outputs give under `rule` (0 when its condition is not met). */
export function amountOf(outputs: Readonly<Record<string, unknown>>, rule: AmountRule): number {
  if (rule.requires !== undefined && outputs[rule.requires] !== true) return 0;
  return Math.max(0, fen(outputs[rule.output]));
}

/**
 * The amount an application gets as of `asOf`: for 低保 and 特困, the output of the ruleset the
 * type's amount rule names, on the household's current survey with the standards in force that
 * day (stored, with `store`, under the application: its as-of date and parameter values are in
 * that decision); for 临时救助, the amount requested.
 */
export async function assess(
  db: Kysely<Database>,
  deps: Deps,
  args: {
    readonly applicationId: string;
    readonly data: Readonly<Record<string, unknown>>;
    readonly orgCode: string | undefined;
    readonly asOf: string;
    readonly amountRules: AmountRules;
    readonly store: boolean;
    readonly actor: string | null;
  },
): Promise<Assessment> {
  const type = applicationType(args.data);
  if (!type)
    throw benefitsError('NX_ERR_BENEFITS_INVALID_CHANGE', {
      'zh-CN': '申请未写明救助类型',
      en: 'The application names no type of assistance',
    });
  const household = await householdOf(db, deps, args.data, args.orgCode);
  if (type === 'linshi')
    return {
      type,
      household,
      amountCents: fen(args.data.amountRequested),
      decisionId: null,
      asOf: args.asOf,
    };
  const rule = args.amountRules[type];
  const noDecision = () =>
    benefitsError('NX_ERR_BENEFITS_NO_DECISION', undefined, [
      {
        path: '/headIdNumber',
        code: 'NX_ERR_BENEFITS_NO_DECISION',
        message: {
          'zh-CN': `该家庭在 ${args.asOf} 之前没有已提交的入户调查`,
          en: `The household has no submitted survey dated on or before ${args.asOf}`,
        },
        hint: { 'zh-CN': '先完成入户调查', en: 'Survey the household first' },
      },
    ]);
  if (!household.currentSubmission) throw noDecision();
  const r = await deps.rules.decideAsOf(db, {
    rulesetId: rule.ruleset,
    submissionId: household.currentSubmission,
    asOf: args.asOf,
    store: args.store,
    createdBy: args.actor,
    storeFor: args.applicationId,
  });
  if (r.status !== 'decided') throw noDecision();
  const amountCents = amountOf(r.decision.outputs, rule);
  return { type, household, amountCents, decisionId: r.stored?.id ?? null, asOf: r.decision.asOf };
}
