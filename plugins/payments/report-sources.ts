import type { Kysely } from 'kysely';
import { type Database, maskIdNumber } from '../../engine/entry/server.ts';
import { TYPE_LABELS } from './bank-file.ts';
import { maskAccount } from './card-accounts.ts';
import { paymentsDb } from './tables.ts';

/**
 * What the payments plugin gives the report plugin (`source.provided` in a report definition):
 * `payments.batch-lines` — every line of the live (not returned) batches of the subtree, for the
 * batches of the report's month (a `YYYY-MM` period, or the month of a date), in org-tree order.
 * Each item's `data` has the line's columns and, for roll-ups, its amount split by type and by
 * result (zero elsewhere), so an aggregate report sums them up the hierarchy.
 */

/** The report plugin's service, as this plugin uses it (its own statement of the contract). */
export interface ReportSourcesService {
  provideSource(source: {
    readonly name: string;
    items(
      db: Kysely<Database>,
      q: {
        readonly orgPath: string;
        readonly period?: string | undefined;
        readonly asOf: string;
        readonly pii: boolean;
      },
    ): AsyncIterable<
      readonly { id: string; orgCode: string; orgPath: string; data: Record<string, unknown> }[]
    >;
  }): void;
}

const STATUS_LABELS: Readonly<Record<string, string>> = {
  pending: '待银行回盘',
  blocked: '受阻（未导出）',
  paid: '已发放',
  failed: '发放失败',
};

const PAGE = 500;

export const BATCH_LINES_SOURCE = 'payments.batch-lines';

export async function* batchLineItems(
  db: Kysely<Database>,
  q: { readonly orgPath: string; readonly period?: string | undefined; readonly pii: boolean },
) {
  const month = q.period?.slice(0, 7);
  let after: { path: string; id: string } | undefined;
  for (;;) {
    let sel = paymentsDb(db)
      .selectFrom('payment_lines as l')
      .innerJoin('payment_batches as b', 'b.id', 'l.batch_id')
      .selectAll('l')
      .select(['b.month as batch_month', 'b.org_code as batch_org', 'b.status as batch_status'])
      .where('l.org_path', 'like', `${q.orgPath}%`)
      .where('b.status', '<>', 'returned')
      .where('l.status', '<>', 'withdrawn');
    if (month) sel = sel.where('b.month', '=', month);
    if (after) {
      const a = after;
      sel = sel.where((eb) => eb(eb.refTuple('l.org_path', 'l.id'), '>', eb.tuple(a.path, a.id)));
    }
    const rows = await sel.orderBy('l.org_path').orderBy('l.id').limit(PAGE).execute();
    if (rows.length > 0)
      yield rows.map((l) => {
        const yuan = l.amount_cents / 100;
        const by = (x: boolean) => (x ? yuan : 0);
        return {
          id: l.id,
          orgCode: l.org_code,
          orgPath: l.org_path,
          data: {
            batchId: l.batch_id,
            batchMonth: l.batch_month,
            batchStatus: l.batch_status,
            county: l.batch_org,
            lineNo: l.line_no,
            month: l.month,
            name: l.head_name,
            idNumber: q.pii ? l.id_number : maskIdNumber(l.id_number),
            accountNumber:
              l.account_number === null ? null : q.pii ? l.account_number : maskAccount(l.account_number),
            bankName: l.bank_name,
            type: l.type,
            typeLabel: TYPE_LABELS[l.type]?.['zh-CN'] ?? l.type,
            amount: yuan,
            status: l.status,
            statusLabel: STATUS_LABELS[l.status] ?? l.status,
            blockReason: l.block_reason,
            resultReason: l.result_reason,
            resultDate: l.result_date,
            carried: l.carried_from !== null,
            exported: l.status !== 'blocked',
            dibaoAmount: by(l.type === 'dibao' && l.status !== 'blocked'),
            tekunAmount: by(l.type === 'tekun' && l.status !== 'blocked'),
            linshiAmount: by(l.type === 'linshi' && l.status !== 'blocked'),
            exportedAmount: by(l.status !== 'blocked'),
            paidAmount: by(l.status === 'paid'),
            failedAmount: by(l.status === 'failed'),
            blockedAmount: by(l.status === 'blocked'),
            paidCount: l.status === 'paid' ? 1 : 0,
            failedCount: l.status === 'failed' ? 1 : 0,
            missingCount: l.status === 'pending' ? 1 : 0,
          },
        };
      });
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = { path: last.org_path, id: last.id };
  }
}
