import type { Kysely } from 'kysely';
import { todayInChina } from '../../../engine/entry/runtime.ts';
import type { Database } from '../../../engine/entry/server.ts';
import type { Decision } from '../compile-ruleset.ts';
import { TYPED_OUTPUTS, type TypedOutput } from './decision-join.ts';
import { sortableId } from './ids.ts';
import { type RuleDecisionTable, rulesDb } from './tables.ts';

/**
 * Decisions stored with the case (`rule_decisions`). Rows are only added. Each is dated (`as_of`:
 * the standards in force on that day were used) and says what it decided (subject and version),
 * under which ruleset version and with which parameter values (series and row ids). The
 * decision in force for a subject on a date is the row with the greatest `as_of` on or before it
 * (the newest on a tie); the older ones are its history.
 */

/** What a decision is about: a submission now, a register record later. */
export interface DecisionSubject {
  readonly type: string;
  readonly id: string;
  /** The version of the subject that was read (a submission's `version`). */
  readonly version: number | null;
}

export interface StoredDecision {
  readonly id: string;
  readonly submissionId: string;
  readonly rulesetId: string;
  readonly asOf: string;
  readonly orgCode: string;
  readonly subject: DecisionSubject;
  readonly rulesetVersion: number | null;
  /** The parameter values used, by alias, each with its series and stored row id. */
  readonly parameters: Decision['parameters'];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The applied parameters, the facts and the per-rule explanation. */
  readonly explanation: {
    readonly version: number;
    readonly area: string | null;
    readonly parameters: Decision['parameters'];
    readonly facts: Decision['facts'];
    readonly rules: Decision['explanation'];
  };
  readonly createdAt: string;
  readonly createdBy: string | null;
}

const flag = (v: unknown): number | null => (v === true ? 1 : v === false ? 0 : null);
const fenOf = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) : null;

/** The typed columns of a decision's outputs (`TYPED_OUTPUTS`: lists filter on them in SQL). */
function typedColumns(o: Readonly<Record<string, unknown>>): Pick<RuleDecisionTable, TypedOutput['column']> {
  const out: Record<string, string | number | null> = {};
  for (const [output, t] of Object.entries(TYPED_OUTPUTS)) {
    const v = o[output];
    out[t.column] =
      t.kind === 'flag' ? flag(v) : t.kind === 'fen' ? fenOf(v) : typeof v === 'string' ? v : null;
  }
  return out as Pick<RuleDecisionTable, TypedOutput['column']>;
}

/** Writes a decision; pass the save's or transition's transaction so it commits or rolls back with it. */
export async function saveDecision(
  db: Kysely<Database>,
  args: {
    readonly submissionId: string;
    readonly decision: Decision;
    readonly createdBy?: string | null;
    /** Default: the submission, version unknown. */
    readonly subject?: DecisionSubject;
  },
): Promise<StoredDecision> {
  const d = args.decision;
  const stored: StoredDecision = {
    id: sortableId('dec'),
    submissionId: args.submissionId,
    rulesetId: d.ruleset,
    asOf: d.asOf,
    orgCode: d.orgCode,
    subject: args.subject ?? { type: 'submission', id: args.submissionId, version: null },
    rulesetVersion: d.version,
    parameters: d.parameters,
    outputs: d.outputs,
    explanation: {
      version: d.version,
      area: d.area,
      parameters: d.parameters,
      facts: d.facts,
      rules: d.explanation,
    },
    createdAt: new Date().toISOString(),
    createdBy: args.createdBy ?? null,
  };
  const o = d.outputs;
  await rulesDb(db)
    .insertInto('rule_decisions')
    .values({
      id: stored.id,
      submission_id: stored.submissionId,
      ruleset_id: stored.rulesetId,
      as_of: stored.asOf,
      org_code: stored.orgCode,
      outputs: JSON.stringify(stored.outputs),
      explanation: JSON.stringify(stored.explanation),
      created_at: stored.createdAt,
      created_by: stored.createdBy,
      subject_type: stored.subject.type,
      subject_id: stored.subject.id,
      subject_version: stored.subject.version,
      ruleset_version: d.version,
      parameters: JSON.stringify(d.parameters),
      ...typedColumns(o),
    })
    .execute();
  return stored;
}

function fromRow(r: RuleDecisionTable): StoredDecision {
  const explanation = JSON.parse(r.explanation) as StoredDecision['explanation'];
  return {
    id: r.id,
    submissionId: r.submission_id,
    rulesetId: r.ruleset_id,
    asOf: r.as_of,
    orgCode: r.org_code,
    subject: {
      type: r.subject_type ?? 'submission',
      id: r.subject_id ?? r.submission_id,
      version: r.subject_version === null ? null : Number(r.subject_version),
    },
    rulesetVersion: r.ruleset_version === null ? explanation.version : Number(r.ruleset_version),
    parameters: r.parameters ? (JSON.parse(r.parameters) as Decision['parameters']) : explanation.parameters,
    outputs: JSON.parse(r.outputs) as Record<string, unknown>,
    explanation,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/**
 * The decision in force for one subject on `asOf`: the greatest `as_of` on or before it, the
 * newest row on a tie (created_at, then id). One range scan of the index `rule_decisions_in_force`.
 */
export async function decisionInForce(
  db: Kysely<Database>,
  q: {
    readonly rulesetId: string;
    readonly subjectId: string;
    readonly subjectType?: string;
    readonly asOf: string;
  },
): Promise<StoredDecision | undefined> {
  const row = await rulesDb(db)
    .selectFrom('rule_decisions')
    .selectAll()
    .where('subject_type', '=', q.subjectType ?? 'submission')
    .where('subject_id', '=', q.subjectId)
    .where('ruleset_id', '=', q.rulesetId)
    .where('as_of', '<=', q.asOf)
    .orderBy('as_of', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Large `in (…)` lists are split so neither SQLite's nor PostgreSQL's parameter limit is reached. */
const CHUNK = 500;

/**
 * The decision in force on `asOf` (default today) of `rulesetId` for each of `submissionIds`,
 * reading only `columns`: in chunks, in (as_of, created_at, id) order, so the last one seen per submission stays.
 */
async function latestRows<K extends keyof RuleDecisionTable>(
  db: Kysely<Database>,
  submissionIds: readonly string[],
  rulesetId: string,
  columns: readonly K[],
  asOf: string,
) {
  const ids = [...new Set(submissionIds)];
  const latest = new Map<string, Pick<RuleDecisionTable, K | 'submission_id'>>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    // Kysely cannot name the columns of a generic selection: the rows are typed here.
    const rows = (await rulesDb(db)
      .selectFrom('rule_decisions')
      .select(['submission_id', ...columns])
      .where('ruleset_id', '=', rulesetId)
      .where('submission_id', 'in', ids.slice(i, i + CHUNK))
      .where('as_of', '<=', asOf)
      .orderBy('as_of')
      .orderBy('created_at')
      .orderBy('id')
      .execute()) as unknown as Pick<RuleDecisionTable, K | 'submission_id'>[];
    for (const r of rows) latest.set(r.submission_id, r);
  }
  return latest;
}

/**
 * The decision in force (on `asOf`, default today in China) of `rulesetId` for each of
 * `submissionIds` (absent when none was made), e.g. for reports that show each family's
 * category and entitlement.
 */
export async function latestDecisions(
  db: Kysely<Database>,
  submissionIds: readonly string[],
  rulesetId: string,
  asOf: string = todayInChina(),
): Promise<Map<string, StoredDecision>> {
  const rows = await latestRows(
    db,
    submissionIds,
    rulesetId,
    [
      'id',
      'ruleset_id',
      'as_of',
      'org_code',
      'outputs',
      'explanation',
      'created_at',
      'created_by',
      'subject_type',
      'subject_id',
      'subject_version',
      'ruleset_version',
      'parameters',
    ],
    asOf,
  );
  const out = new Map<string, StoredDecision>();
  for (const [id, r] of rows) out.set(id, fromRow(r as RuleDecisionTable));
  return out;
}

/**
 * Only the outputs of the decisions in force on `asOf` (default today): what a list of many
 * families needs (the explanation — parameters, facts, every rule's trace — is not read).
 */
export async function latestOutputs(
  db: Kysely<Database>,
  submissionIds: readonly string[],
  rulesetId: string,
  asOf: string = todayInChina(),
): Promise<Map<string, Readonly<Record<string, unknown>>>> {
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [id, r] of await latestRows(db, submissionIds, rulesetId, ['outputs'], asOf))
    out.set(id, JSON.parse(r.outputs) as Record<string, unknown>);
  return out;
}
