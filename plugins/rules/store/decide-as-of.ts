import type { Kysely } from 'kysely';
import { NxError } from '../../../engine/entry/plugin.ts';
import { todayInChina } from '../../../engine/entry/runtime.ts';
import { type Database, readSubmissions } from '../../../engine/entry/server.ts';
import type { CompiledRuleset, Decision } from '../compile-ruleset.ts';
import { rulesError } from '../errors.ts';
import type { RulesService } from '../service.ts';
import { chainOfPath } from './db-what-if.ts';
import { type DecisionSubject, type StoredDecision, saveDecision } from './decisions.ts';

/**
 * Decisions as of a date. A decision on a submission is dated by the ruleset's `datedBy` field
 * (the survey date) or, without one, by the day it is made; it reads the submission's data and
 * the standards in force on that date, and records the submission's version and each parameter's
 * series and row id — so deciding the same inputs as of the same date again gives the same result.
 */

/** A real calendar day written YYYY-MM-DD (2021-02-30 is not one). */
export function isRealDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}

/** The date a submission's facts were gathered, per the ruleset (undefined when it has no valid one). */
export function factsDateOf(
  compiled: CompiledRuleset,
  data: Readonly<Record<string, unknown>>,
): string | undefined {
  const field = compiled.ruleset.datedBy;
  const v = field ? data[field] : undefined;
  return typeof v === 'string' && isRealDate(v) ? v : undefined;
}

/**
 * The date a decision made now on `data` is dated: its facts date, unless that lies after today
 * (never: the form refuses a survey date after today) — then today.
 */
export function decisionDateOf(
  compiled: CompiledRuleset,
  data: Readonly<Record<string, unknown>>,
  today: string,
): string {
  const d = factsDateOf(compiled, data);
  return d !== undefined && d <= today ? d : today;
}

export interface DecideAsOfRequest {
  readonly rulesetId: string;
  readonly submissionId: string;
  /** YYYY-MM-DD; the standards in force on it are used. */
  readonly asOf: string;
  /** Also store the decision (dated `asOf`) so lists as of that date find it. */
  readonly store?: boolean;
  readonly createdBy?: string | null;
  /**
   * A survey dated after `asOf` is decided as of its own date instead of being `not-known`
   * (monitoring re-decides a family under a standard from `asOf` on, never before it was surveyed).
   */
  readonly notBeforeFacts?: boolean;
  /**
   * The submission the stored decision is filed under (default the decided one): an application
   * files the decision on its household's survey under itself, so lists of applications join it.
   */
  readonly storeFor?: string;
}

export type DecideAsOfResult =
  | {
      readonly status: 'decided';
      readonly subject: DecisionSubject;
      readonly decision: Decision;
      readonly stored?: StoredDecision;
    }
  /** The submission's facts are dated after `asOf` (it was not yet surveyed then), or it is a draft or deleted. */
  | { readonly status: 'not-known'; readonly subject: DecisionSubject; readonly factsDate?: string };

/**
 * Decides a submission as of a date (see the module note). It does not check the caller's scope:
 * routes and reports do that before they ask.
 */
export async function decideAsOf(
  db: Kysely<Database>,
  service: RulesService,
  req: DecideAsOfRequest,
): Promise<DecideAsOfResult> {
  if (!isRealDate(req.asOf))
    throw rulesError('NX_ERR_RULES_INVALID_PARAMETER', {
      'zh-CN': `日期 ${req.asOf} 无效（应为 YYYY-MM-DD）`,
      en: `The date ${req.asOf} is invalid (expected YYYY-MM-DD)`,
    });
  const compiled = service.get(req.rulesetId);
  if (!compiled)
    throw rulesError('NX_ERR_RULES_NOT_FOUND', {
      'zh-CN': `找不到规则集“${req.rulesetId}”`,
      en: `Ruleset "${req.rulesetId}" not found`,
    });
  const [row] = await readSubmissions(db, [req.submissionId]);
  if (!row)
    throw new NxError('NX_ERR_HTTP_NOT_FOUND', 404, {
      'zh-CN': `找不到提交 ${req.submissionId}`,
      en: `Submission ${req.submissionId} not found`,
    });
  const subject: DecisionSubject = { type: 'submission', id: row.id, version: row.version };
  const data = row.data;
  // Without a facts date, the day the submission was first stored (China time) dates it.
  const factsDate = factsDateOf(compiled, data) ?? todayInChina(Date.parse(row.createdAt));
  const asOf = req.notBeforeFacts && factsDate > req.asOf ? factsDate : req.asOf;
  if (row.deletedAt !== null || row.status === 'draft' || factsDate > asOf)
    return { status: 'not-known', subject, factsDate };
  const decision = await service.evaluate(compiled.ruleset.id, data, {
    orgCode: row.orgCode,
    asOf,
    chain: chainOfPath(row.orgPath),
  });
  if (!req.store) return { status: 'decided', subject, decision };
  const stored = await saveDecision(db, {
    submissionId: req.storeFor ?? row.id,
    decision,
    subject,
    createdBy: req.createdBy ?? null,
  });
  return { status: 'decided', subject, decision, stored };
}
