import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { monthOf } from './months.ts';
import { byHousehold } from './read.ts';

/** The 幸福清单 source: what one family receives in the as-of month, one line per benefit. */
export const FAMILY_SOURCE = 'benefits.family';

const ITEM: Readonly<Record<string, string>> = {
  dibao: '最低生活保障（低保）',
  tekun: '特困人员救助供养',
  linshi: '临时救助（一次性）',
};

/** What the report plugin asks of a provided source for a document (declared here, not imported). */
export interface FamilyQuery {
  readonly orgPath: string;
  readonly asOf: string;
  readonly household?: string | undefined;
}

/**
 * The household's benefits in force in the month of `asOf`: active monthly ones with the amount
 * of that month, and a one-off of that month. Suspended and stopped ones are not told as received.
 * Only benefits inside `orgPath` (the caller's subtree) are read.
 */
export async function* familyItems(db: Kysely<Database>, q: FamilyQuery) {
  if (!q.household) return;
  const month = monthOf(q.asOf);
  const rows = await byHousehold(db, q.household.toUpperCase(), q.asOf);
  yield rows
    .filter((b) => b.statusAsOf === 'active' && b.orgPath.startsWith(q.orgPath))
    .filter((b) => b.period === 'monthly' || b.startMonth === month)
    .map((b) => ({
      id: b.id,
      orgCode: b.orgCode,
      orgPath: b.orgPath,
      data: {
        item: ITEM[b.type] ?? b.type,
        amount: `${(b.amountCentsAsOf / 100).toFixed(2)} ${b.period === 'monthly' ? '元/月' : '元'}`,
      },
    }));
}
