import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * The payment reports read the batch lines through the source the payments plugin provides to
 * the report plugin (`payments.batch-lines`): the list of a month's lines, the reconciliation,
 * and the totals per unit and type up the hierarchy; scoped and masked like every report.
 */

interface Table {
  columns: { id: string }[];
  rows: { kind: string; cells: Record<string, string | number | null> }[];
}

describe.each(dialects())('payment reports on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const ids = { a: idOf(31), b: idOf(33), c: idOf(35) };

  beforeAll(async () => {
    t = await dialect.open();
    a = await paymentsApp(t, testClock().now);
    await insertBenefit(t.db, { id: newId(), idNumber: ids.a, headName: '张大山', amountCents: 45_000 });
    await insertBenefit(t.db, {
      id: newId(),
      idNumber: ids.b,
      headName: '李秀英',
      amountCents: 32_050,
      type: 'tekun',
    });
    await insertBenefit(t.db, { id: newId(), idNumber: ids.c, headName: '王五', amountCents: 9_000 });
    // Another county's benefit, never in 平昌县's reports.
    await insertBenefit(t.db, {
      id: newId(),
      idNumber: idOf(37, OTHER_COUNTY),
      headName: '赵六',
      amountCents: 50_000,
      orgCode: OTHER_COUNTY,
      orgPath: OTHER_PATH,
    });
    const acct = (idNumber: string, holderName: string, accountNumber: string) => ({
      idNumber,
      holderName,
      accountNumber,
      bankName: '平昌农商银行',
    });
    await a.call('pcHrss', 'POST', '/api/payments/card-accounts', {
      rows: [acct(ids.a, '张大山', '6230000000000101'), acct(ids.b, '李秀英', '6230000000000102')],
    });
    const g = await a.call('pingchangReviewer', 'POST', '/api/payments/batches', {
      orgCode: COUNTY,
      month: '2026-03',
    });
    const batch = (g.json() as { batch: { id: string } }).batch.id;
    await a.call('pcFinance', 'POST', `/api/payments/batches/${batch}/approve`, {});
    const lines = (
      (await a.call('pcBank', 'GET', `/api/payments/batches/${batch}`)).json() as {
        lines: { lineNo: number; name: string }[];
      }
    ).lines;
    const no = (name: string) => String(lines.find((l) => l.name === name)?.lineNo);
    const file = [
      '批次号,行号,身份证号码,金额（元）,结果,失败原因,处理日期',
      `${batch},${no('张大山')},${ids.a},450.00,成功,,2026-03-10`,
      `${batch},${no('李秀英')},${ids.b},320.50,失败,账户已冻结,2026-03-10`,
    ].join('\r\n');
    const r = await a.call('pcBank', 'POST', `/api/payments/batches/${batch}/return-file`, { content: file });
    expect(r.statusCode, r.body).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const report = async (user: 'pingchangReviewer' | 'pingchangViewer' | 'bazhongReviewer', url: string) => {
    const r = await a.call(user, 'GET', url);
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };

  it('the batch lines: every line of the month with its state, a subtotal per county and a total', async () => {
    const r = await report(
      'pingchangReviewer',
      '/api/reports/payment-list?org=511923&period=2026-03&format=json',
    );
    const table = r.json() as Table;
    const data = table.rows.filter((x) => x.kind === 'data');
    expect(data.map((x) => [x.cells.name, x.cells.amount, x.cells.status]).sort()).toEqual(
      [
        ['张大山', 450, '已发放'],
        ['李秀英', 320.5, '发放失败'],
        ['王五', 90, '受阻（未导出）'],
      ].sort(),
    );
    expect(data.find((x) => x.cells.name === '张大山')?.cells.idNumber).toBe(ids.a);
    expect(table.rows.at(-1)).toMatchObject({ kind: 'total', cells: { amount: 860.5 } });
    // Another month has no lines; without pii the ID and account numbers are masked.
    const april = (
      await report('pingchangReviewer', '/api/reports/payment-list?org=511923&period=2026-04&format=json')
    ).json() as Table;
    expect(april.rows.filter((x) => x.kind === 'data')).toEqual([]);
    const masked = await report(
      'pingchangViewer',
      '/api/reports/payment-list?org=511923&period=2026-03&format=csv',
    );
    for (const x of [ids.a, ids.b, '6230000000000101']) expect(masked.body).not.toContain(x);
    expect(masked.body).toContain('张大山');
  });

  it('reconciliation: paid, failed with its reason, and the blocked line', async () => {
    const table = (
      await report(
        'pingchangReviewer',
        '/api/reports/payment-reconciliation?org=511923&period=2026-03&format=json',
      )
    ).json() as Table;
    const byName = new Map(table.rows.filter((x) => x.kind === 'data').map((x) => [x.cells.name, x.cells]));
    expect(byName.get('李秀英')).toMatchObject({
      status: '发放失败',
      reason: '账户已冻结',
      failed: 320.5,
      paid: 0,
    });
    expect(byName.get('张大山')).toMatchObject({ status: '已发放', paid: 450 });
    expect(table.rows.at(-1)?.cells).toMatchObject({ amount: 860.5, paid: 450, failed: 320.5 });
  });

  it('monthly totals per unit and type up the hierarchy', async () => {
    const city = (
      await report('bazhongReviewer', '/api/reports/payment-totals?org=511900&period=2026-03&format=json')
    ).json() as Table;
    const pingchang = city.rows.find((x) => x.cells.unit === '平昌县')?.cells;
    expect(pingchang).toMatchObject({
      lines: 3,
      dibao: 450,
      tekun: 320.5,
      linshi: 0,
      exported: 770.5,
      paid: 450,
      failed: 320.5,
      blocked: 90,
    });
    // 巴州区 has no agent bank declared, hence no batch: zeros.
    expect(city.rows.find((x) => x.cells.unit === '巴州区')?.cells).toMatchObject({ lines: 0, dibao: 0 });
    expect(city.rows.at(-1)).toMatchObject({ kind: 'total', cells: { dibao: 450, exported: 770.5 } });
    const province = (
      await report('pingchangReviewer', '/api/reports/payment-totals?org=511923&period=2026-03&format=json')
    ).json() as Table;
    expect(province.rows.at(-1)?.cells).toMatchObject({ lines: 3, exported: 770.5 });
    // A unit outside the caller's subtree answers as if absent.
    expect(
      (await a.call('pingchangReviewer', 'GET', '/api/reports/payment-totals?org=511900&period=2026-03'))
        .statusCode,
    ).toBe(404);
  });
});
