import type { Kysely } from 'kysely';
import { type Database, maskIdNumber } from '../../engine/entry/server.ts';
import { monthOf } from './months.ts';
import { payableForMonth } from './read.ts';

/** The 长期公示 source: the monthly benefits payable in the as-of month (one row per family), as report items. */
export const RECIPIENTS_SOURCE = 'benefits.recipients';

const TYPE_LABEL: Readonly<Record<string, string>> = { dibao: '低保', tekun: '特困', linshi: '临时救助' };

/** What the report plugin asks of a provided source (declared here, not imported from it). */
export interface RecipientsQuery {
  readonly orgPath: string;
  readonly asOf: string;
}

/** One page of current recipients in org-path order; ID numbers always masked (a public list). */
export async function* recipientItems(db: Kysely<Database>, q: RecipientsQuery) {
  const rows = await payableForMonth(db, { orgPath: q.orgPath, month: monthOf(q.asOf) });
  // The long-term notice is of the families supported month by month (低保 or 特困, one per
  // family); a one-off 临时救助 is not a standing benefit and would list a family twice.
  yield rows
    .filter((b) => b.period === 'monthly')
    .map((b) => ({
      id: b.benefitId,
      orgCode: b.orgCode,
      orgPath: b.orgPath,
      data: {
        headName: b.headName,
        idNumber: maskIdNumber(b.householdKey),
        type: TYPE_LABEL[b.type] ?? b.type,
        amount: b.amountCents / 100,
        period: b.period === 'monthly' ? '元/月' : '元（一次性）',
      },
    }));
}
