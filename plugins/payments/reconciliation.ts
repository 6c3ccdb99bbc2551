import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { type BatchView, batchLines, batchView, type LineView, lineView } from './batches.ts';
import { type PaymentBatchTable, paymentsDb } from './tables.ts';

/**
 * Reconciliation of one batch against the bank's answers: paid, failed (with the bank's reason
 * and the later line that carries it), missing (exported, no answer yet), and blocked (never
 * exported: no card account, or the holder's name differs), each with its count and amount.
 */

export interface Group {
  readonly count: number;
  readonly amountCents: number;
  readonly lines: readonly LineView[];
}

export interface Reconciliation {
  readonly batch: BatchView;
  readonly paid: Group;
  readonly failed: Group;
  readonly missing: Group;
  readonly blocked: Group;
  readonly returnFiles: readonly {
    readonly id: string;
    readonly fileName: string | null;
    readonly paid: number;
    readonly failed: number;
    readonly unchanged: number;
    readonly importedBy: string;
    readonly importedAt: string;
  }[];
}

export async function reconcile(
  db: Kysely<Database>,
  b: PaymentBatchTable,
  pii: boolean,
): Promise<Reconciliation> {
  const lines = await batchLines(db, b.id);
  const group = (status: string): Group => {
    const ls = lines.filter((l) => l.status === status);
    return {
      count: ls.length,
      amountCents: ls.reduce((s, l) => s + l.amount_cents, 0),
      lines: ls.map((l) => lineView(l, pii)),
    };
  };
  const files = await paymentsDb(db)
    .selectFrom('payment_returns')
    .selectAll()
    .where('batch_id', '=', b.id)
    .orderBy('imported_at')
    .execute();
  return {
    batch: await batchView(db, b),
    paid: group('paid'),
    failed: group('failed'),
    missing: group('pending'),
    blocked: group('blocked'),
    returnFiles: files.map((f) => ({
      id: f.id,
      fileName: f.file_name,
      paid: f.paid,
      failed: f.failed,
      unchanged: f.unchanged,
      importedBy: f.imported_by,
      importedAt: f.imported_at,
    })),
  };
}
