import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';
import { COUNTY, idOf, insertBenefit, newId, paymentsApp, testClock } from '../plugins/payments/setup.ts';
import { runMain } from './run-main.ts';

/**
 * `nuanxin payments …` walks the loop as the four parties do over HTTP, through the same
 * functions and role table: civil affairs generates, finance approves, the bank writes the bank
 * file and imports the return file (once: a second import changes nothing), reconciliation shows
 * paid and failed lines. Each command acts as `--as <user>` and refuses a party acting out of role.
 */

type Json = Record<string, unknown>;

describe.each(dialects())('nuanxin payments on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let dir: string;
  let config: string;
  let batch = '';
  const ids = { a: idOf(51), b: idOf(53) };

  beforeAll(async () => {
    t = await dialect.open();
    a = await paymentsApp(t, testClock().now);
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-payments-cli-'));
    config = join(dir, 'nuanxin.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: [
          'rules',
          'registers',
          'report',
          'benefits',
          'sms-outbox',
          {
            use: 'payments',
            config: { agentBanks: [{ county: COUNTY, code: 'PCRCB', name: '平昌农商银行' }] },
          },
        ],
      }),
    );
    await insertBenefit(t.db, { id: newId(), idNumber: ids.a, headName: '张大山', amountCents: 45_000 });
    await insertBenefit(t.db, { id: newId(), idNumber: ids.b, headName: '李秀英', amountCents: 32_050 });
    const acct = (idNumber: string, holderName: string, accountNumber: string) => ({
      idNumber,
      holderName,
      accountNumber,
      bankName: '平昌农商银行',
      phone: '13900001111',
    });
    const r = await a.call('pcHrss', 'POST', '/api/payments/card-accounts', {
      rows: [acct(ids.a, '张大山', '6230000000000201'), acct(ids.b, '李秀英', '6230000000000202')],
    });
    expect(r.statusCode, r.body).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const r = await runMain(['payments', ...args, '--db', t.url, '--config', config]);
    return { ...r, json: () => JSON.parse(r.stdout) as Json };
  };

  it('civil affairs generates the month’s batch, once; finance may not', async () => {
    const refused = await cli('generate', COUNTY, '2026-03', '--as', 'pcFinance');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NX_ERR_HTTP_FORBIDDEN');
    const g = await cli('generate', COUNTY, '2026-03', '--as', 'pingchangReviewer');
    expect(g.code, g.stderr).toBe(0);
    const out = g.json() as { created: boolean; batch: { id: string; status: string; totals: Json } };
    expect(out.created).toBe(true);
    expect(out.batch.status).toBe('pending_finance');
    expect(out.batch.totals).toMatchObject({ count: 2, amountCents: 77_050 });
    batch = out.batch.id;
    const again = await cli('generate', COUNTY, '2026-03', '--as', 'pingchangReviewer');
    expect(again.json()).toMatchObject({ created: false, batch: { id: batch } });
  });

  it('lists batches masked unless --pii; the bank sees none before finance approves', async () => {
    const list = await cli('batches', '--as', 'pcFinance', '--status', 'pending_finance');
    expect(list.code, list.stderr).toBe(0);
    expect((list.json().items as Json[]).map((b) => b.id)).toEqual([batch]);
    const bank = await cli('batches', '--as', 'pcBank');
    expect(bank.json().items).toEqual([]);
    const rec = await cli('reconcile', batch, '--as', 'pingchangReviewer');
    expect(rec.stdout).not.toContain(ids.a);
    expect(rec.stdout).toContain(ids.a.slice(-4));
  });

  it('finance returns only with a reason, and approves the whole batch', async () => {
    const noReason = await cli('return', batch, '--as', 'pcFinance', '--reason', ' ');
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('NX_ERR_PAYMENTS_REASON_REQUIRED');
    const ok = await cli('approve', batch, '--as', 'pcFinance');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json().status).toBe('approved');
    const twice = await cli('approve', batch, '--as', 'pcFinance');
    expect(twice.stderr).toContain('NX_ERR_PAYMENTS_BAD_STATE');
  });

  it('the bank writes the bank file (not without pii) and imports the return file once', async () => {
    const masked = await cli('bank-file', batch, '--as', 'pcBankNoPii', '--out', join(dir, 'x.csv'));
    expect(masked.code).toBe(1);
    expect(masked.stderr).toContain('NX_ERR_HTTP_FORBIDDEN');
    const out = join(dir, 'bank.csv');
    const f = await cli('bank-file', batch, '--as', 'pcBank', '--out', out);
    expect(f.code, f.stderr).toBe(0);
    expect(f.json()).toMatchObject({ file: out, lines: 2 });
    const rows = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows.at(-1)).toMatch(/^合计,2,/);
    const line = (id: string) => rows.find((r) => r.includes(id))?.split(',')[1];
    const ret = join(dir, 'return.csv');
    writeFileSync(
      ret,
      [
        '批次号,行号,身份证号码,金额（元）,结果,失败原因,处理日期',
        `${batch},${line(ids.a)},${ids.a},450.00,成功,,2026-03-10`,
        `${batch},${line(ids.b)},${ids.b},320.50,失败,账户已冻结,2026-03-10`,
      ].join('\r\n'),
    );
    const first = await cli('import-return', batch, ret, '--as', 'pcBank');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ paid: 1, failed: 1, smsQueued: 1 });
    const second = await cli('import-return', batch, ret, '--as', 'pcBank');
    expect(second.json()).toMatchObject({ duplicate: true, paid: 0, failed: 0, smsQueued: 0 });
    const civil = await cli('import-return', batch, ret, '--as', 'pingchangReviewer');
    expect(civil.stderr).toContain('NX_ERR_HTTP_FORBIDDEN');
  });

  it('reconciliation: one paid, one failed with the bank’s reason, none missing', async () => {
    const r = await cli('reconcile', batch, '--as', 'pingchangReviewer', '--pii');
    expect(r.code, r.stderr).toBe(0);
    const rec = r.json() as Record<string, { count: number; lines: Json[] }>;
    expect([rec.paid?.count, rec.failed?.count, rec.missing?.count]).toEqual([1, 1, 0]);
    expect(rec.failed?.lines[0]).toMatchObject({ idNumber: ids.b, resultReason: '账户已冻结' });
    expect((rec.batch as unknown as Json).status).toBe('reconciled');
  });
});
