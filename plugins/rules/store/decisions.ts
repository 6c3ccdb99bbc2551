import type { Kysely } from 'kysely';
import type { Database } from '../../../engine/index.ts';
import type { Decision } from '../compile-ruleset.ts';
import { sortableId } from './ids.ts';
import { type RuleDecisionTable, rulesDb } from './tables.ts';

/**
 * Decisions stored with the case (`rule_decisions`). Rows are only added: the newest row per
 * submission and ruleset is the current decision, the older ones are its history.
 */

export interface StoredDecision {
  readonly id: string;
  readonly submissionId: string;
  readonly rulesetId: string;
  readonly asOf: string;
  readonly orgCode: string;
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

/** Writes a decision; pass the transition's transaction so it commits or rolls back with it. */
export async function saveDecision(
  db: Kysely<Database>,
  args: { readonly submissionId: string; readonly decision: Decision; readonly createdBy?: string | null },
): Promise<StoredDecision> {
  const d = args.decision;
  const stored: StoredDecision = {
    id: sortableId('dec'),
    submissionId: args.submissionId,
    rulesetId: d.ruleset,
    asOf: d.asOf,
    orgCode: d.orgCode,
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
    })
    .execute();
  return stored;
}

/** Large `in (…)` lists are split so neither SQLite's nor PostgreSQL's parameter limit is reached. */
const CHUNK = 500;

/**
 * The newest row of `rulesetId` for each of `submissionIds` (newest by created_at, then id),
 * reading only `columns`: in chunks, oldest first, so the last one written per submission stays.
 */
async function latestRows<
  K extends
    | 'outputs'
    | 'explanation'
    | 'id'
    | 'as_of'
    | 'org_code'
    | 'created_at'
    | 'created_by'
    | 'ruleset_id',
>(db: Kysely<Database>, submissionIds: readonly string[], rulesetId: string, columns: readonly K[]) {
  const ids = [...new Set(submissionIds)];
  const latest = new Map<string, Pick<RuleDecisionTable, K | 'submission_id'>>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    // Kysely cannot name the columns of a generic selection: the rows are typed here.
    const rows = (await rulesDb(db)
      .selectFrom('rule_decisions')
      .select(['submission_id', ...columns])
      .where('ruleset_id', '=', rulesetId)
      .where('submission_id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('created_at')
      .orderBy('id')
      .execute()) as unknown as Pick<RuleDecisionTable, K | 'submission_id'>[];
    for (const r of rows) latest.set(r.submission_id, r);
  }
  return latest;
}

/**
 * The current decision of `rulesetId` for each of `submissionIds` (absent when none was made),
 * e.g. for reports that show each family's category and entitlement.
 */
export async function latestDecisions(
  db: Kysely<Database>,
  submissionIds: readonly string[],
  rulesetId: string,
): Promise<Map<string, StoredDecision>> {
  const rows = await latestRows(db, submissionIds, rulesetId, [
    'id',
    'ruleset_id',
    'as_of',
    'org_code',
    'outputs',
    'explanation',
    'created_at',
    'created_by',
  ]);
  const out = new Map<string, StoredDecision>();
  for (const [id, r] of rows) {
    out.set(id, {
      id: r.id,
      submissionId: r.submission_id,
      rulesetId: r.ruleset_id,
      asOf: r.as_of,
      orgCode: r.org_code,
      outputs: JSON.parse(r.outputs) as Record<string, unknown>,
      explanation: JSON.parse(r.explanation) as StoredDecision['explanation'],
      createdAt: r.created_at,
      createdBy: r.created_by,
    });
  }
  return out;
}

/**
 * Only the outputs of the current decisions: what a list of many families needs (the
 * explanation — parameters, facts, every rule's trace — is the bulk of each row and is not read).
 */
export async function latestOutputs(
  db: Kysely<Database>,
  submissionIds: readonly string[],
  rulesetId: string,
): Promise<Map<string, Readonly<Record<string, unknown>>>> {
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [id, r] of await latestRows(db, submissionIds, rulesetId, ['outputs']))
    out.set(id, JSON.parse(r.outputs) as Record<string, unknown>);
  return out;
}
