import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { HOUSEHOLDS } from './deps.ts';
import { readsBenefits } from './readers.ts';
import { benefitsDb } from './tables.ts';

/**
 * The benefits' part of a household record's answer: the benefits decided for the family, keyed
 * by the head's ID number — so by every key leading to the record (its own and those of merged
 * records). The benefits API's own rule applies: only its readers see the section (field staff
 * see the record, not what the family receives), only benefits inside the reader's subtree, and
 * no ID number in it.
 */

/** What a record section is asked, as far as this one reads it (the registers plugin gives more). */
export interface RecordSectionQueryLike {
  keys(): Promise<readonly string[]>;
  readonly reader: { readonly orgPath: string; readonly roles?: readonly string[] };
}

/** A section of a record's answer, as the registers plugin takes it. */
export interface RecordSectionLike {
  readonly name: string;
  readonly registers?: readonly string[];
  read(db: Kysely<Database>, q: RecordSectionQueryLike): Promise<readonly unknown[] | undefined>;
}

/** What this plugin uses of the registers service to add it. */
export interface RecordSectionHost {
  addRecordSection(section: RecordSectionLike): void;
}

export const benefitsSection: RecordSectionLike = Object.freeze({
  name: 'benefits',
  registers: [HOUSEHOLDS],
  async read(db: Kysely<Database>, q: RecordSectionQueryLike) {
    // Left out of the answer, not empty: the reader may not know, which is not "none".
    if (!readsBenefits(q.reader.roles)) return undefined;
    const keys = await q.keys();
    if (keys.length === 0) return [];
    const rows = await benefitsDb(db)
      .selectFrom('benefits')
      .select([
        'id',
        'type',
        'period',
        'amount_cents',
        'status',
        'start_month',
        'end_month',
        'application_id',
      ])
      .where('household_key', 'in', [...keys])
      .where('org_path', 'like', `${q.reader.orgPath}%`)
      .orderBy('start_month')
      .orderBy('id')
      .execute();
    return rows.map((b) => ({
      id: b.id,
      type: b.type,
      period: b.period,
      amount: Number(b.amount_cents) / 100,
      status: b.status,
      startMonth: b.start_month,
      endMonth: b.end_month ?? null,
      applicationId: b.application_id,
    }));
  },
});
