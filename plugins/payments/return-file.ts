import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ErrorDetail } from '../../engine/entry/plugin.ts';
import {
  type Database,
  isUniqueViolation,
  type Principal,
  writeAudit,
  writeTransaction,
} from '../../engine/entry/server.ts';
import { TYPE_LABELS, yuan } from './bank-file.ts';
import { batchLines, findBatch } from './batches.ts';
import type { OutboxService } from './benefits-contract.ts';
import { paymentsError } from './errors.ts';
import { type PaymentLineTable, paymentsDb } from './tables.ts';

/**
 * The bank's return file (回盘文件): CSV, a header row, then one row per line it acted on —
 *   批次号, 行号, 身份证号码, 金额（元）, 结果 (成功 | 失败, or paid | failed), 失败原因, 处理日期 (YYYY-MM-DD).
 * A totals row (first cell 合计) and blank rows are skipped. Each row must name a line of the
 * batch with the same ID number and amount (the bank cannot change an amount). The whole file is
 * applied or none of it; the same file twice changes nothing (its SHA-256 is kept per batch).
 */

export const RETURN_FILE_HEADERS = [
  '批次号',
  '行号',
  '身份证号码',
  '金额（元）',
  '结果',
  '失败原因',
  '处理日期',
] as const;

/** Rows of a CSV text (RFC 4180 quotes; a leading `'` guard from a spreadsheet export is dropped). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const s = text.replace(/^\uFEFF/, '');
  const endField = () => {
    row.push(field.startsWith("'") ? field.slice(1) : field);
    field = '';
  };
  while (i < s.length) {
    const ch = s[i] as string;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      endField();
      rows.push(row);
      row = [];
      if (ch === '\r' && s[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

export interface ReturnRow {
  readonly at: number;
  readonly batchId: string;
  readonly lineNo: number;
  readonly idNumber: string;
  readonly amount: string;
  readonly result: 'paid' | 'failed';
  readonly reason: string;
  readonly date: string;
}

const RESULTS: Readonly<Record<string, 'paid' | 'failed'>> = {
  成功: 'paid',
  paid: 'paid',
  失败: 'failed',
  failed: 'failed',
};
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const problem = (line: number, zh: string, en: string, hintZh: string, hintEn: string): ErrorDetail => ({
  path: '/body/content',
  code: 'NX_ERR_PAYMENTS_RETURN_FILE_INVALID',
  message: { 'zh-CN': `第 ${line} 行：${zh}`, en: `Line ${line}: ${en}` },
  hint: { 'zh-CN': hintZh, en: hintEn },
  params: { line },
});

/** The rows of a return file, or its problems (line numbers are the file's, header = 1). */
export function readReturnFile(text: string): { rows: ReturnRow[]; problems: ErrorDetail[] } {
  const all = parseCsv(text);
  const problems: ErrorDetail[] = [];
  const header = (all[0] ?? []).map((c) => c.trim());
  if (RETURN_FILE_HEADERS.some((h, i) => header[i] !== h)) {
    problems.push(
      problem(
        1,
        '表头与约定格式不符',
        'The header differs from the declared layout',
        `表头应为：${RETURN_FILE_HEADERS.join(',')}`,
        `The header is: ${RETURN_FILE_HEADERS.join(',')}`,
      ),
    );
    return { rows: [], problems };
  }
  const rows: ReturnRow[] = [];
  all.slice(1).forEach((cells, k) => {
    const at = k + 2;
    const [batchId = '', lineNo = '', idNumber = '', amount = '', result = '', reason = '', date = ''] =
      cells.map((c) => c.trim());
    if (batchId === '合计') return;
    const r = RESULTS[result];
    if (!/^\d{1,7}$/.test(lineNo))
      problems.push(
        problem(
          at,
          '行号无效',
          'Invalid line number',
          '填写代发文件中的行号',
          'Use the line number of the bank file',
        ),
      );
    else if (!r)
      problems.push(
        problem(
          at,
          '结果应为“成功”或“失败”',
          'The result is 成功 (paid) or 失败 (failed)',
          '每行一个结果',
          'One result per row',
        ),
      );
    else if (r === 'failed' && reason === '')
      problems.push(
        problem(
          at,
          '失败的行须写明原因',
          'A failed row needs a reason',
          '如“账户已销户”',
          'e.g. “account closed”',
        ),
      );
    else if (!DATE.test(date))
      problems.push(
        problem(at, '处理日期应为 YYYY-MM-DD', 'The date is YYYY-MM-DD', '如 2026-03-10', 'e.g. 2026-03-10'),
      );
    else
      rows.push({
        at,
        batchId,
        lineNo: Number(lineNo),
        idNumber: idNumber.toUpperCase(),
        amount,
        result: r,
        reason: reason.slice(0, 200),
        date,
      });
  });
  return { rows, problems };
}

export interface ReturnImportResult {
  /** True when this very file was imported before: nothing changed. */
  readonly duplicate: boolean;
  readonly paid: number;
  readonly failed: number;
  readonly unchanged: number;
  readonly smsQueued: number;
  readonly batchStatus: string;
  readonly message: { readonly 'zh-CN': string; readonly en: string };
}

const fingerprint = (text: string) =>
  createHash('sha256')
    .update(
      text
        .replace(/^\uFEFF/, '')
        .replace(/\r\n?/g, '\n')
        .trimEnd(),
    )
    .digest('hex');

/** Imports a return file into its batch (see the module comment). */
export async function importReturnFile(
  db: Kysely<Database>,
  deps: { readonly outbox: OutboxService | undefined },
  p: Principal,
  batchId: string,
  file: { readonly content: string; readonly fileName?: string | undefined },
  now: string,
): Promise<ReturnImportResult> {
  const sha = fingerprint(file.content);
  const run = () =>
    writeTransaction(db, async (trx): Promise<ReturnImportResult> => {
      const pdb = paymentsDb(trx);
      const batch = await findBatch(trx, p, batchId);
      if (batch.status !== 'approved' && batch.status !== 'reconciled')
        throw paymentsError('NX_ERR_PAYMENTS_BAD_STATE');
      const seen = await pdb
        .selectFrom('payment_returns')
        .selectAll()
        .where('batch_id', '=', batchId)
        .where('sha256', '=', sha)
        .executeTakeFirst();
      if (seen) return duplicateResult(batch.status, seen.imported_at);
      const { rows, problems } = readReturnFile(file.content);
      const lines = new Map((await batchLines(trx, batchId)).map((l) => [l.line_no, l]));
      const conflicts: ErrorDetail[] = [];
      const changes: { line: PaymentLineTable; row: ReturnRow }[] = [];
      const once = new Set<number>();
      let unchanged = 0;
      for (const row of rows) {
        const l = lines.get(row.lineNo);
        if (row.batchId !== batchId || !l || l.status === 'blocked' || l.status === 'withdrawn') {
          problems.push(
            problem(
              row.at,
              '批次号或行号不是本批次导出的行',
              'Batch or line number is not a line exported in this batch',
              '核对代发文件',
              'Check against the bank file',
            ),
          );
          continue;
        }
        if (once.has(row.lineNo)) {
          problems.push(
            problem(
              row.at,
              `行号 ${row.lineNo} 出现两次`,
              `Line ${row.lineNo} appears twice`,
              '每行一个结果',
              'One result per line',
            ),
          );
          continue;
        }
        once.add(row.lineNo);
        if (row.idNumber !== l.id_number || row.amount !== yuan(l.amount_cents)) {
          problems.push(
            problem(
              row.at,
              '身份证号或金额与代发文件不符（金额不能由银行更改）',
              'ID number or amount differs from the bank file (the bank cannot change an amount)',
              `金额应为 ${yuan(l.amount_cents)}`,
              `The amount is ${yuan(l.amount_cents)}`,
            ),
          );
          continue;
        }
        if (l.status === row.result) {
          unchanged++;
          continue;
        }
        if (l.status !== 'pending') {
          conflicts.push({
            path: '/body/content',
            code: 'NX_ERR_PAYMENTS_RETURN_CONFLICT',
            message: {
              'zh-CN': `第 ${row.at} 行：行号 ${row.lineNo} 已登记为${l.status === 'paid' ? '成功' : '失败'}`,
              en: `Line ${row.at}: line ${row.lineNo} is already recorded as ${l.status}`,
            },
            hint: {
              'zh-CN': '结果登记后不能更改；如有差错请联系民政部门',
              en: 'A recorded result cannot change; contact civil affairs about a mistake',
            },
            params: { line: row.at },
          });
          continue;
        }
        changes.push({ line: l, row });
      }
      if (problems.length > 0)
        throw paymentsError('NX_ERR_PAYMENTS_RETURN_FILE_INVALID', undefined, problems.slice(0, 100));
      if (conflicts.length > 0)
        throw paymentsError('NX_ERR_PAYMENTS_RETURN_CONFLICT', undefined, conflicts.slice(0, 100));
      const returnId = randomUUID();
      let paid = 0;
      let failed = 0;
      for (const { line, row } of changes) {
        const r = await pdb
          .updateTable('payment_lines')
          .set({
            status: row.result,
            result_reason: row.result === 'failed' ? row.reason : null,
            result_date: row.date,
            return_id: returnId,
            updated_at: now,
          })
          .where('id', '=', line.id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw paymentsError('NX_ERR_PAYMENTS_BAD_STATE');
        if (row.result === 'paid') paid++;
        else failed++;
      }
      await pdb
        .insertInto('payment_returns')
        .values({
          id: returnId,
          batch_id: batchId,
          sha256: sha,
          file_name: file.fileName ?? null,
          paid,
          failed,
          unchanged,
          imported_by: p.username,
          imported_at: now,
        })
        .execute();
      const left = await pdb
        .selectFrom('payment_lines')
        .select('id')
        .where('batch_id', '=', batchId)
        .where('status', '=', 'pending')
        .limit(1)
        .execute();
      const batchStatus = left.length === 0 ? 'reconciled' : batch.status;
      if (batchStatus !== batch.status)
        await pdb
          .updateTable('payment_batches')
          .set({ status: 'reconciled', version: batch.version + 1 })
          .where('id', '=', batchId)
          .execute();
      const smsQueued = deps.outbox
        ? await queueNotices(
            trx,
            deps.outbox,
            changes.filter((c) => c.row.result === 'paid'),
            now,
          )
        : 0;
      await writeAudit(trx, {
        actor: p.username,
        action: 'payments.batch.return_file',
        entityType: 'payment_batch',
        entityId: batchId,
        orgPath: batch.org_path,
        before: { status: batch.status },
        after: { status: batchStatus, returnId, sha256: sha, paid, failed, unchanged, smsQueued },
        at: now,
      });
      return {
        duplicate: false,
        paid,
        failed,
        unchanged,
        smsQueued,
        batchStatus,
        message: {
          'zh-CN': `已导入：成功 ${paid} 行，失败 ${failed} 行，无变化 ${unchanged} 行`,
          en: `Imported: ${paid} paid, ${failed} failed, ${unchanged} unchanged`,
        },
      };
    });
  try {
    return await run();
  } catch (e) {
    // The same file imported twice at once: the second meets the unique index and changes nothing.
    if (!isUniqueViolation(e)) throw e;
    const seen = await paymentsDb(db)
      .selectFrom('payment_returns')
      .select('imported_at')
      .where('batch_id', '=', batchId)
      .where('sha256', '=', sha)
      .executeTakeFirst();
    if (!seen) throw e;
    const b = await findBatch(db, p, batchId);
    return duplicateResult(b.status, seen.imported_at);
  }
}

function duplicateResult(status: string, at: string): ReturnImportResult {
  return {
    duplicate: true,
    paid: 0,
    failed: 0,
    unchanged: 0,
    smsQueued: 0,
    batchStatus: status,
    message: {
      'zh-CN': `该回盘文件已于 ${at} 导入，本次没有任何更改`,
      en: `This return file was imported at ${at}: nothing changed`,
    },
  };
}

/** One text per paid line whose card account has a registered mobile, in the import's transaction. */
async function queueNotices(
  db: Kysely<Database>,
  outbox: OutboxService,
  paid: readonly { line: PaymentLineTable; row: ReturnRow }[],
  now: string,
): Promise<number> {
  if (paid.length === 0) return 0;
  const ids = [...new Set(paid.map((c) => c.line.id_number))];
  const phones = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500)
    for (const a of await paymentsDb(db)
      .selectFrom('card_accounts')
      .select(['id_number', 'phone'])
      .where('id_number', 'in', ids.slice(i, i + 500))
      .execute())
      if (a.phone) phones.set(a.id_number, a.phone);
  let n = 0;
  for (const { line, row } of paid) {
    const to = phones.get(line.id_number);
    if (!to) continue;
    const kind = TYPE_LABELS[line.type]?.['zh-CN'] ?? line.type;
    const last4 = (line.account_number ?? '').slice(-4);
    const body =
      `${outbox.signature}${line.head_name}您好：您家 ${line.month} 的${kind}金 ${yuan(line.amount_cents)} 元` +
      `已于 ${row.date} 发放到社会保障卡（尾号 ${last4}）。如有疑问请致电 ${outbox.hotline}。`;
    await outbox.addToOutbox(db, {
      to,
      body,
      truncated: false,
      orgCode: line.org_code,
      orgPath: line.org_path,
      createdAt: now,
    });
    n++;
  }
  return n;
}
