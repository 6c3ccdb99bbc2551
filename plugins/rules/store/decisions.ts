import type { Kysely } from 'kysely';
import type { Database } from '../../../engine/index.ts';
import type { Decision } from '../compile-ruleset.ts';
import { sortableId } from './ids.ts';
import { rulesDb } from './tables.ts';

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
 * The current decision of `rulesetId` for each of `submissionIds` (absent when none was made),
 * e.g. for reports that show each family's category and entitlement.
 */
export async function latestDecisions(
  db: Kysely<Database>,
  submissionIds: readonly string[],
  rulesetId: string,
): Promise<Map<string, StoredDecision>> {
  const out = new Map<string, StoredDecision>();
  const ids = [...new Set(submissionIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await rulesDb(db)
      .selectFrom('rule_decisions')
      .selectAll()
      .where('ruleset_id', '=', rulesetId)
      .where('submission_id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    // Oldest first, so the last one written per submission stays.
    for (const r of rows) {
      out.set(r.submission_id, {
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
  }
  return out;
}
