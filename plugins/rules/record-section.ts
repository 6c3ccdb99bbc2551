import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { rulesDb } from './store/tables.ts';

/**
 * The rules' part of a register record's answer: the decisions stored on the submissions behind
 * the record's versions, oldest first, as whoever may see the record sees them. What this plugin
 * uses of the registers plugin is declared here (never an import of its files).
 */

/** A section of a record's answer, as the registers plugin takes it. */
export interface RecordSectionLike {
  readonly name: string;
  read(
    db: Kysely<Database>,
    q: { readonly submissionIds: readonly string[] },
  ): Promise<readonly unknown[] | undefined>;
}

/** What this plugin uses of the registers service (optional: without it there is no section). */
export interface RecordSectionHost {
  addRecordSection(section: RecordSectionLike): void;
}

export const decisionsSection: RecordSectionLike = Object.freeze({
  name: 'decisions',
  async read(db: Kysely<Database>, q: { readonly submissionIds: readonly string[] }) {
    if (q.submissionIds.length === 0) return [];
    const rows = await rulesDb(db)
      .selectFrom('rule_decisions')
      .select(['id', 'submission_id', 'ruleset_id', 'as_of', 'outputs', 'created_at'])
      .where('submission_id', 'in', [...q.submissionIds])
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, outputs: JSON.parse(r.outputs) as unknown }));
  },
});
