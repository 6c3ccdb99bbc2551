import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yuan } from '../../../plugins/payments/index.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import {
  COUNTY,
  idOf,
  insertBenefit,
  newId,
  OTHER_COUNTY,
  OTHER_PATH,
  paymentsApp,
  testClock,
} from './setup.ts';

/**
 * The batch side of the payment loop on benefits inserted directly: card accounts kept by 人社,
 * a batch per county and month (idempotent), finance's decision on the whole batch, the bank
 * file, the return file (idempotent), reconciliation, and failed or blocked lines carried to the
 * next month — with the database refusing a second payment of one benefit-month.
 */

interface Line {
  id: string;
  lineNo: number;
  benefitId: string;
  name: string;
  idNumber: string;
  accountNumber: string | null;
  type: string;
  month: string;
  amountCents: number;
  status: string;
  blockReason: string | null;
  carriedFrom: string | null;
}
interface Batch {
  id: string;
  status: string;
  month: string;
  totals: {
    count: number;
    amountCents: number;
    blockedCount: number;
    byType: Record<string, { count: number }>;
  };
}

const returnFile = (rows: string[][]) =>
  `${['批次号,行号,身份证号码,金额（元）,结果,失败原因,处理日期', ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`;

describe.each(dialects())('payment batches on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const clock = testClock();
  const ids = { a: idOf(11), b: idOf(13), c: idOf(15), d: idOf(17), o: idOf(19, OTHER_COUNTY) };
  const benefit = { a: newId(), b: newId(), c: newId(), d: newId(), o: newId() };
  let march: Batch;
  let marchLines: Line[];

  beforeAll(async () => {
    t = await dialect.open();
    a = await paymentsApp(t, clock.now);
    await insertBenefit(t.db, { id: benefit.a, idNumber: ids.a, headName: '张大山', amountCents: 45_000 });
    // A name a spreadsheet would run as a formula: the bank file must show it as text.
    await insertBenefit(t.db, {
      id: benefit.b,
      idNumber: ids.b,
      headName: '=HYPERLINK("x")',
      amountCents: 32_050,
      type: 'tekun',
    });
    await insertBenefit(t.db, {
      id: benefit.c,
      idNumber: ids.c,
      headName: '李秀英',
      amountCents: 20_000,
      type: 'linshi',
      startMonth: '2026-03',
    });
    // No card account yet: blocked, shown but not exported.
    await insertBenefit(t.db, { id: benefit.d, idNumber: ids.d, headName: '王五', amountCents: 9_000 });
    await insertBenefit(t.db, {
      id: benefit.o,
      idNumber: ids.o,
      headName: '赵六',
      amountCents: 50_000,
      orgCode: OTHER_COUNTY,
      orgPath: OTHER_PATH,
    });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const account = (idNumber: string, holderName: string, accountNumber: string, phone?: string) => ({
    idNumber,
    holderName,
    accountNumber,
    bankName: '平昌农商银行',
    ...(phone ? { phone } : {}),
  });

  it('人社 imports card accounts whole or not at all; other parties cannot', async () => {
    const bad = await a.call('pcHrss', 'POST', '/api/payments/card-accounts', {
      rows: [account(ids.a, '张大山', '6230000000000001'), account(`${ids.b.slice(0, 17)}0`, 'x', '12ab')],
    });
    expect(bad.statusCode).toBe(422);
    const body = bad.json() as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('NX_ERR_PAYMENTS_CARD_ACCOUNT_INVALID');
    expect(body.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/body/rows/1/idNumber', '/body/rows/1/accountNumber']),
    );
    expect(
      ((await a.call('pcHrss', 'GET', '/api/payments/card-accounts')).json() as { items: unknown[] }).items,
    ).toEqual([]);

    const ok = await a.call('pcHrss', 'POST', '/api/payments/card-accounts', {
      rows: [
        account(ids.a, '张大山', '6230000000000001', '13800000001'),
        account(ids.b, '=HYPERLINK("x")', '6230000000000002'),
        account(ids.c, '李秀英', '6230000000000003', '13800000003'),
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ created: 3, updated: 0, unchanged: 0 });
    // The same rows again: nothing changes.
    const again = await a.call('pcHrss', 'POST', '/api/payments/card-accounts', {
      rows: [account(ids.a, '张大山', '6230000000000001', '13800000001')],
    });
    expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: 1 });
    // Another county's 人社 may not overwrite it, nor see it.
    const other = await a.call('bzHrss', 'POST', '/api/payments/card-accounts', {
      rows: [account(ids.a, '张大山', '6230000000009999')],
    });
    expect(other.statusCode).toBe(422);
    expect(
      ((await a.call('bzHrss', 'GET', '/api/payments/card-accounts')).json() as { items: unknown[] }).items,
    ).toEqual([]);
    for (const user of ['pingchangReviewer', 'pcFinance', 'pcBank', 'admin'] as const)
      expect(
        (
          await a.call(user, 'POST', '/api/payments/card-accounts', {
            rows: [account(ids.a, '张大山', '6230000000000001')],
          })
        ).statusCode,
        user,
      ).toBe(403);
    // Without pii the account is masked.
    const masked = await a.call('pingchangViewer', 'GET', '/api/payments/card-accounts');
    expect(masked.statusCode).toBe(403);
  });

  it('civil affairs generates the county’s batch once; a line without a card account is blocked, not dropped', async () => {
    for (const user of ['pcFinance', 'pcBank', 'pcHrss', 'villageStaff'] as const)
      expect(
        (await a.call(user, 'POST', '/api/payments/batches', { orgCode: COUNTY, month: '2026-03' }))
          .statusCode,
        user,
      ).toBe(403);
    // Another county's reviewer cannot generate for 平昌县; a county without agent bank is refused.
    expect(
      (await a.call('bazhouReviewer', 'POST', '/api/payments/batches', { orgCode: COUNTY, month: '2026-03' }))
        .statusCode,
    ).toBe(400);
    const noBank = await a.call('bazhouReviewer', 'POST', '/api/payments/batches', {
      orgCode: OTHER_COUNTY,
      month: '2026-03',
    });
    expect(noBank.json()).toMatchObject({ code: 'NX_ERR_PAYMENTS_NO_AGENT_BANK' });

    const r = await a.call('pingchangReviewer', 'POST', '/api/payments/batches', {
      orgCode: COUNTY,
      month: '2026-03',
    });
    expect(r.statusCode, r.body).toBe(201);
    march = (r.json() as { batch: Batch }).batch;
    expect(march).toMatchObject({ status: 'pending_finance', month: '2026-03' });
    expect(march.totals).toMatchObject({ count: 3, amountCents: 45_000 + 32_050 + 20_000, blockedCount: 1 });
    expect(march.totals.byType).toMatchObject({
      dibao: { count: 1 },
      tekun: { count: 1 },
      linshi: { count: 1 },
    });
    const twice = await a.call('pingchangReviewer', 'POST', '/api/payments/batches', {
      orgCode: COUNTY,
      month: '2026-03',
    });
    expect(twice.statusCode).toBe(200);
    expect((twice.json() as { created: boolean; batch: Batch }).batch.id).toBe(march.id);

    const got = (await a.call('pingchangReviewer', 'GET', `/api/payments/batches/${march.id}`)).json() as {
      lines: Line[];
    };
    marchLines = got.lines;
    expect(marchLines).toHaveLength(4);
    expect(marchLines.find((l) => l.benefitId === benefit.d)).toMatchObject({
      status: 'blocked',
      blockReason: 'no_account',
    });
    expect(marchLines.some((l) => l.benefitId === benefit.o)).toBe(false);
  });

  it('the bank sees the batch only once finance approved it; finance decides the whole batch only', async () => {
    expect((await a.call('pcBank', 'GET', `/api/payments/batches/${march.id}`)).statusCode).toBe(404);
    expect(
      ((await a.call('pcBank', 'GET', '/api/payments/batches')).json() as { items: unknown[] }).items,
    ).toEqual([]);
    // Parties other than the county's finance cannot approve; 巴州区 finance does not even see it.
    for (const user of ['pingchangReviewer', 'pcBank', 'pcHrss', 'admin'] as const)
      expect(
        (await a.call(user, 'POST', `/api/payments/batches/${march.id}/approve`, {})).statusCode,
        user,
      ).toBe(403);
    expect(
      (await a.call('bzFinance', 'POST', `/api/payments/batches/${march.id}/approve`, {})).statusCode,
    ).toBe(404);
    // An amount riding along with the approval is not read: the batch is approved as generated.
    const ok = await a.call('pcFinance', 'POST', `/api/payments/batches/${march.id}/approve`, {
      amountCents: 1,
      lines: [{ lineNo: 1, amountCents: 1 }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as Batch).totals).toEqual(march.totals);
    expect(ok.json()).toMatchObject({ status: 'approved' });
    expect(
      (await a.call('pcFinance', 'POST', `/api/payments/batches/${march.id}/approve`, {})).json(),
    ).toMatchObject({ code: 'NX_ERR_PAYMENTS_BAD_STATE' });
    expect(
      (await a.call('pcFinance', 'POST', `/api/payments/batches/${march.id}/return`, { reason: 'late' }))
        .statusCode,
    ).toBe(409);
    expect(
      ((await a.call('pcBank', 'GET', '/api/payments/batches')).json() as { items: Batch[] }).items.map(
        (b) => b.id,
      ),
    ).toEqual([march.id]);
    expect(
      ((await a.call('bzBank', 'GET', '/api/payments/batches')).json() as { items: unknown[] }).items,
    ).toEqual([]);
    expect((await a.call('bzBank', 'GET', `/api/payments/batches/${march.id}/bank-file`)).statusCode).toBe(
      404,
    );
  });

  it('the bank file: declared columns, blocked lines left out, a totals row, formulas shown as text', async () => {
    expect((await a.call('pcFinance', 'GET', `/api/payments/batches/${march.id}/bank-file`)).statusCode).toBe(
      403,
    );
    expect(
      (await a.call('pcBankNoPii', 'GET', `/api/payments/batches/${march.id}/bank-file`)).statusCode,
    ).toBe(403);
    const r = await a.call('pcBank', 'GET', `/api/payments/batches/${march.id}/bank-file`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const rows = r.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe(
      '批次号,行号,姓名,身份证号码,社会保障卡账号,金额（元）,救助类别,所属月份,县（市、区）代码',
    );
    expect(rows).toHaveLength(1 + 3 + 1);
    expect(rows.at(-1)).toBe(`合计,3,,,,${yuan(97_050)},,,`);
    expect(r.body).not.toContain(ids.d);
    expect(r.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(r.body).toContain(`${ids.a},6230000000000001,450.00,低保,2026-03,511923`);

    const x = await a.app.inject({
      method: 'GET',
      url: `/api/payments/batches/${march.id}/bank-file?format=xlsx`,
      headers: { authorization: `Bearer ${await a.token('pcBank')}` },
    });
    expect(x.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('no sheet');
    expect(ws.rowCount).toBe(5);
    const names = [2, 3, 4].map((n) => ws.getRow(n).getCell(3).value);
    expect(names).toContain('=HYPERLINK("x")');
    const rowOfA = [2, 3, 4].find((n) => ws.getRow(n).getCell(3).value === '张大山') ?? 0;
    expect(ws.getRow(rowOfA).getCell(4).value).toBe(ids.a);
    expect(ws.getRow(rowOfA).getCell(6).value).toBe(450);
    expect(ws.getRow(5).getCell(1).value).toBe('合计');
    expect(ws.getRow(5).getCell(6).value).toBe(970.5);
  });

  it('the return file: a changed amount is refused, the same file twice pays nothing twice, paid lines queue a text', async () => {
    const line = (benefitId: string) => marchLines.find((l) => l.benefitId === benefitId) as Line;
    const la = line(benefit.a);
    const lb = line(benefit.b);
    const lc = line(benefit.c);
    const forged = returnFile([[march.id, String(la.lineNo), ids.a, '777.77', '成功', '', '2026-03-10']]);
    const f = await a.call('pcBank', 'POST', `/api/payments/batches/${march.id}/return-file`, {
      content: forged,
    });
    expect(f.statusCode).toBe(422);
    expect(f.json()).toMatchObject({ code: 'NX_ERR_PAYMENTS_RETURN_FILE_INVALID' });
    for (const user of ['pcFinance', 'pingchangReviewer', 'pcHrss'] as const)
      expect(
        (await a.call(user, 'POST', `/api/payments/batches/${march.id}/return-file`, { content: forged }))
          .statusCode,
        user,
      ).toBe(403);

    const file = returnFile([
      [march.id, String(la.lineNo), ids.a, '450.00', '成功', '', '2026-03-10'],
      [march.id, String(lb.lineNo), ids.b, '320.50', '失败', '账户已冻结', '2026-03-10'],
    ]);
    const first = await a.call('pcBank', 'POST', `/api/payments/batches/${march.id}/return-file`, {
      content: file,
      fileName: 'r1.csv',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      duplicate: false,
      paid: 1,
      failed: 1,
      smsQueued: 1,
      batchStatus: 'approved',
    });
    const second = await a.call('pcBank', 'POST', `/api/payments/batches/${march.id}/return-file`, {
      content: file,
    });
    expect(second.json()).toMatchObject({ duplicate: true, paid: 0, failed: 0, smsQueued: 0 });
    const texts = await sql<{
      body: string;
      to_number: string;
    }>`select body, to_number from sms_outbox`.execute(t.db);
    expect(texts.rows).toHaveLength(1);
    expect(texts.rows[0]?.to_number).toBe('13800000001');
    expect(texts.rows[0]?.body).toContain('450.00');
    // A later file may not turn a paid line into a failed one.
    const turn = returnFile([[march.id, String(la.lineNo), ids.a, '450.00', '失败', '误报', '2026-03-11']]);
    expect(
      (
        await a.call('pcBank', 'POST', `/api/payments/batches/${march.id}/return-file`, { content: turn })
      ).json(),
    ).toMatchObject({ code: 'NX_ERR_PAYMENTS_RETURN_CONFLICT' });

    const rec = (
      await a.call('pcFinance', 'GET', `/api/payments/batches/${march.id}/reconciliation`)
    ).json() as Record<string, { count: number; lines: Line[] }>;
    expect([rec.paid?.count, rec.failed?.count, rec.missing?.count, rec.blocked?.count]).toEqual([
      1, 1, 1, 1,
    ]);
    expect(rec.missing?.lines[0]?.benefitId).toBe(lc.benefitId);
  });

  it('the database refuses a second payment of one benefit-month, whatever the code does', async () => {
    const paid = await sql<
      Record<string, unknown>
    >`select * from payment_lines where status = 'paid'`.execute(t.db);
    const row: Record<string, unknown> = {
      ...(paid.rows[0] as Record<string, unknown>),
      id: newId(),
      line_no: 99,
    };
    const cols = Object.keys(row);
    await expect(
      sql`insert into payment_lines (${sql.join(cols.map((c) => sql.ref(c)))}) values (${sql.join(cols.map((c) => row[c]))})`.execute(
        t.db,
      ),
    ).rejects.toThrow();
  });

  it('the next month carries the failed and the blocked lines, read against the accounts 人社 fixed', async () => {
    clock.set('2026-04-03T02:00:00.000Z');
    const fix = await a.call('pcHrss', 'POST', '/api/payments/card-accounts', {
      rows: [
        account(ids.b, '=HYPERLINK("x")', '6230000000000022'),
        account(ids.d, '王五', '6230000000000004'),
      ],
    });
    expect(fix.json()).toEqual({ created: 1, updated: 1, unchanged: 0 });
    const r = await a.call('pingchangReviewer', 'POST', '/api/payments/batches', {
      orgCode: COUNTY,
      month: '2026-04',
    });
    expect(r.statusCode, r.body).toBe(201);
    const april = (r.json() as { batch: Batch }).batch;
    const lines = (
      (await a.call('pingchangReviewer', 'GET', `/api/payments/batches/${april.id}`)).json() as {
        lines: Line[];
      }
    ).lines;
    const key = (l: Line) => `${l.benefitId}|${l.month}|${l.status}`;
    expect(lines.map(key).sort()).toEqual(
      [
        `${benefit.a}|2026-04|pending`,
        `${benefit.b}|2026-04|pending`,
        `${benefit.d}|2026-04|pending`,
        `${benefit.b}|2026-03|pending`,
        `${benefit.d}|2026-03|pending`,
      ].sort(),
    );
    expect(lines.find((l) => l.benefitId === benefit.b && l.month === '2026-03')?.accountNumber).toBe(
      '6230000000000022',
    );
    // Finance returns it: the carried claims are owed again, and the month can be generated afresh.
    expect(
      (await a.call('pcFinance', 'POST', `/api/payments/batches/${april.id}/return`, { reason: ' ' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await a.call('pcFinance', 'POST', `/api/payments/batches/${april.id}/return`, {
          reason: '资金未到位',
        })
      ).json(),
    ).toMatchObject({ status: 'returned', returnReason: '资金未到位' });
    const again = await a.call('pingchangReviewer', 'POST', '/api/payments/batches', {
      orgCode: COUNTY,
      month: '2026-04',
    });
    expect(again.statusCode, again.body).toBe(201);
    expect((again.json() as { batch: Batch }).batch.totals.count).toBe(5);
  });

  it('without pii, batch lines and reconciliation show no whole ID or account number; field staff see nothing', async () => {
    const r = await a.call('pingchangViewer', 'GET', `/api/payments/batches/${march.id}`);
    expect(r.statusCode).toBe(200);
    for (const x of [ids.a, ids.b, '6230000000000001']) expect(r.body).not.toContain(x);
    const rec = await a.call('pingchangViewer', 'GET', `/api/payments/batches/${march.id}/reconciliation`);
    for (const x of [ids.a, ids.b, '6230000000000001']) expect(rec.body).not.toContain(x);
    expect((await a.call('villageStaff', 'GET', '/api/payments/batches')).statusCode).toBe(403);
    expect((await a.call('chengduStaff', 'GET', `/api/payments/batches/${march.id}`)).statusCode).toBe(403);
    const audit = await sql<{
      action: string;
    }>`select action from audit_log where action like 'payments.%' order by id`.execute(t.db);
    expect(new Set(audit.rows.map((x) => x.action))).toEqual(
      new Set([
        'payments.card_account.create',
        'payments.card_account.update',
        'payments.batch.generate',
        'payments.batch.approve',
        'payments.batch.return',
        'payments.batch.bank_file',
        'payments.batch.return_file',
      ]),
    );
  });
});
