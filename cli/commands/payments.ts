import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { nowIso } from '../../engine/store/clock.ts';
import {
  type BankFileFormat,
  decideBatch,
  exportBankFile,
  findBatch,
  generateBatch,
  importReturnFile,
  listBatches,
  reconcile,
  requirePaymentRole,
} from '../../plugins/payments/index.ts';
import type { CliCommand } from '../command.ts';
import { print, run } from '../crosschecks-context.ts';
import {
  openPayments,
  type PaymentsContext,
  type PaymentsOptions,
  withPaymentsCommon,
} from '../payments-context.ts';

/**
 * `nuanxin payments batches|generate|approve|return|bank-file|import-return|reconcile`: the
 * payment loop from a terminal, through the same functions and role table as the HTTP routes
 * (`plugins/payments/roles.ts`), acting as `--as <user>`. Output is JSON; ID numbers and card
 * accounts are masked unless `--pii` is given and the user holds it. The bank file goes to a
 * file, never to the terminal.
 */

type Pii = PaymentsOptions & { pii?: boolean };

async function withPayments<T>(o: Pii, wantPii: boolean, fn: (c: PaymentsContext) => Promise<T>): Promise<T> {
  const c = await openPayments(o, wantPii);
  try {
    return await fn(c);
  } finally {
    await c.db.destroy();
  }
}

const piiOption = (c: Command) => c.option('--pii', 'show ID numbers and card accounts whole');

export const command: CliCommand = {
  register(program: Command) {
    const pay = program
      .command('payments')
      .description(
        '资金发放：批次列表、生成、财政审核、代发文件、回盘导入、对账 / payments: batches, generate, approve, return, bank file, return file, reconciliation',
      );

    piiOption(withPaymentsCommon(pay.command('batches')))
      .option('--org <code>', 'only this county')
      .option('--month <YYYY-MM>', 'only this month')
      .option('--status <status>', 'pending_finance, returned, approved or reconciled')
      .description('本辖区的发放批次 / the payment batches of your area')
      .action(
        run(async (o: Pii & { org?: string; month?: string; status?: string }) =>
          withPayments(o, Boolean(o.pii), async ({ db, p }) => {
            requirePaymentRole(p, 'read');
            print({ items: await listBatches(db, p, { orgCode: o.org, month: o.month, status: o.status }) });
          }),
        ),
      );

    withPaymentsCommon(
      pay.command('generate').argument('<county>', 'county code, e.g. 511923').argument('<month>', 'YYYY-MM'),
    )
      .description('生成某县某月的发放批次（重复生成得到同一批次）/ generate a county’s batch for a month')
      .action(
        run(async (county: string, month: string, o: Pii) =>
          withPayments(o, false, async ({ db, p, deps }) => {
            requirePaymentRole(p, 'generate');
            print(await generateBatch(db, deps, p, { orgCode: county, month }, nowIso()));
          }),
        ),
      );

    withPaymentsCommon(pay.command('approve').argument('<batch>', 'batch id'))
      .description('财政审核通过整个批次 / finance approves the whole batch')
      .action(
        run(async (id: string, o: Pii) =>
          withPayments(o, false, async ({ db, p }) => {
            requirePaymentRole(p, 'decide');
            print(await decideBatch(db, p, id, { action: 'approve' }, nowIso()));
          }),
        ),
      );

    withPaymentsCommon(pay.command('return').argument('<batch>', 'batch id'))
      .requiredOption('--reason <text>', 'why the batch goes back to civil affairs')
      .description('财政退回整个批次（须写明原因）/ finance returns the whole batch with a reason')
      .action(
        run(async (id: string, o: Pii & { reason: string }) =>
          withPayments(o, false, async ({ db, p }) => {
            requirePaymentRole(p, 'decide');
            print(await decideBatch(db, p, id, { action: 'return', reason: o.reason }, nowIso()));
          }),
        ),
      );

    withPaymentsCommon(pay.command('bank-file').argument('<batch>', 'batch id'))
      .option('--format <format>', 'csv or xlsx', 'csv')
      .option('--out <file>', 'where to write it (default: the file’s own name, here)')
      .description('下载代发文件（银行，须有 pii 权限）/ write the bank file (bank, with pii)')
      .action(
        run(async (id: string, o: Pii & { format: string; out?: string }) =>
          withPayments(o, true, async ({ db, p }) => {
            requirePaymentRole(p, 'bankFile');
            const format: BankFileFormat = o.format === 'xlsx' ? 'xlsx' : 'csv';
            const f = await exportBankFile(db, p, id, format, nowIso());
            const out = resolve(o.out ?? f.fileName);
            writeFileSync(out, f.body);
            print({ file: out, lines: f.lines });
          }),
        ),
      );

    withPaymentsCommon(
      pay
        .command('import-return')
        .argument('<batch>', 'batch id')
        .argument('<file>', 'the return file (CSV)'),
    )
      .description('导入银行回盘文件（同一文件再次导入不作任何更改）/ import the bank’s return file')
      .action(
        run(async (id: string, file: string, o: Pii) =>
          withPayments(o, false, async ({ db, p, deps }) => {
            requirePaymentRole(p, 'returnFile');
            const content = readFileSync(file, 'utf8');
            print(
              await importReturnFile(
                db,
                { outbox: deps.outbox },
                p,
                id,
                { content, fileName: basename(file) },
                nowIso(),
              ),
            );
          }),
        ),
      );

    piiOption(withPaymentsCommon(pay.command('reconcile').argument('<batch>', 'batch id')))
      .description('对账：成功、失败、未回盘、受阻 / reconciliation: paid, failed, missing, blocked')
      .action(
        run(async (id: string, o: Pii) =>
          withPayments(o, Boolean(o.pii), async ({ db, p }) => {
            requirePaymentRole(p, 'read');
            const b = await findBatch(db, p, id);
            print(await reconcile(db, b, p.permissions.includes('pii')));
          }),
        ),
      );
  },
};
