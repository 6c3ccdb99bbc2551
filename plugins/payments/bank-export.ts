import type { Kysely } from 'kysely';
import {
  canSeePii,
  type Database,
  httpError,
  type Principal,
  writeAudit,
} from '../../engine/entry/server.ts';
import { bankFileCsv, bankFileXlsx } from './bank-file.ts';
import { BANK_VISIBLE, batchLines, findBatch } from './batches.ts';
import { paymentsDb } from './tables.ts';

export type BankFileFormat = 'csv' | 'xlsx';

export interface BankFileExport {
  /** `payment-<county>-<month>-<8 characters of the batch id>.<format>` */
  readonly fileName: string;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly lines: number;
}

/**
 * The bank downloads the bank file of a batch finance approved: only the `bank` role with `pii`
 * (a masked file pays nobody). The first download is recorded on the batch (`exportedAt`);
 * every download is audited. The HTTP route and the CLI both call this.
 */
export async function exportBankFile(
  db: Kysely<Database>,
  p: Principal,
  id: string,
  format: BankFileFormat,
  now: string,
): Promise<BankFileExport> {
  if (!canSeePii(p)) throw httpError('NX_ERR_HTTP_FORBIDDEN');
  const b = await findBatch(db, p, id);
  if (!BANK_VISIBLE.includes(b.status)) throw httpError('NX_ERR_HTTP_FORBIDDEN');
  const lines = (await batchLines(db, b.id)).filter(
    (l) => l.status !== 'blocked' && l.status !== 'withdrawn',
  );
  await paymentsDb(db)
    .updateTable('payment_batches')
    .set({ exported_at: now, exported_by: p.username })
    .where('id', '=', b.id)
    .where('exported_at', 'is', null)
    .execute();
  await writeAudit(db, {
    actor: p.username,
    action: 'payments.batch.bank_file',
    entityType: 'payment_batch',
    entityId: b.id,
    orgPath: b.org_path,
    after: { format, lines: lines.length },
    at: now,
  });
  const name = `payment-${b.org_code}-${b.month}-${b.id.slice(0, 8)}`;
  return format === 'xlsx'
    ? {
        fileName: `${name}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body: await bankFileXlsx(b, lines),
        lines: lines.length,
      }
    : {
        fileName: `${name}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: bankFileCsv(b, lines),
        lines: lines.length,
      };
}
