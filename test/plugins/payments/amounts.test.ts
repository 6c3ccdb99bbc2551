import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { COUNTY, idOf, insertBenefit, newId, paymentsApp, testClock } from './setup.ts';

/**
 * Finance and the bank never change an amount: every writing route of the app (from its
 * OpenAPI document), called by each of them with amounts in the body, the query and the path's
 * object, leaves every line's and every benefit's amount as it was.
 */

describe.each(dialects())('finance and the bank cannot change an amount on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let batchId = '';
  let lineId = '';

  beforeAll(async () => {
    t = await dialect.open();
    a = await paymentsApp(t, testClock().now);
    const id = idOf(21);
    await insertBenefit(t.db, { id: newId(), idNumber: id, headName: '张大山', amountCents: 45_000 });
    await a.call('pcHrss', 'POST', '/api/payments/card-accounts', {
      rows: [
        { idNumber: id, accountNumber: '6230000000000001', bankName: '平昌农商银行', holderName: '张大山' },
      ],
    });
    const g = await a.call('pingchangReviewer', 'POST', '/api/payments/batches', {
      orgCode: COUNTY,
      month: '2026-03',
    });
    batchId = (g.json() as { batch: { id: string } }).batch.id;
    const lines = (await a.call('pingchangReviewer', 'GET', `/api/payments/batches/${batchId}`)).json() as {
      lines: { id: string }[];
    };
    lineId = lines.lines[0]?.id ?? '';
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const amounts = async () => ({
    lines: (
      await sql<{ amount_cents: number }>`select amount_cents from payment_lines order by id`.execute(t.db)
    ).rows.map((r) => Number(r.amount_cents)),
    benefits: (
      await sql<{ amount_cents: number }>`select amount_cents from benefits order by id`.execute(t.db)
    ).rows.map((r) => Number(r.amount_cents)),
  });

  it('no writing route takes an amount from them', async () => {
    const before = await amounts();
    expect(before.lines).toEqual([45_000]);
    const doc = (await a.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const forged = {
      amountCents: 1,
      amount: 777.77,
      amount_cents: 1,
      lines: [{ id: lineId, lineNo: 1, amountCents: 1 }],
      reason: '改金额',
      content: `批次号,行号,身份证号码,金额（元）,结果,失败原因,处理日期\r\n${batchId},1,${idOf(21)},0.01,成功,,2026-03-10\r\n`,
    };
    let calls = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      // Logging out would end the session the loop uses; neither touches an amount.
      if (path.startsWith('/api/auth/')) continue;
      for (const method of Object.keys(ops)) {
        if (method === 'get' || method === 'head') continue;
        const url = path
          .replace(/\{[^}]+\}/g, (m) => (m.includes('id') ? batchId : lineId))
          .concat('?amountCents=1');
        for (const user of ['pcFinance', 'pcBank'] as const) {
          const r = await a.call(user, method.toUpperCase() as 'POST', url, forged);
          expect(r.statusCode, `${method} ${path} ${user}: ${r.body.slice(0, 120)}`).toBeLessThan(500);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThan(10);
    expect(await amounts()).toEqual(before);
    // The approval went through (finance may approve) and the bank's forged 0.01 was refused.
    const b = (await a.call('pcFinance', 'GET', `/api/payments/batches/${batchId}`)).json() as {
      batch: { status: string };
      lines: { status: string; amountCents: number }[];
    };
    expect(b.batch.status).toBe('approved');
    expect(b.lines).toEqual([expect.objectContaining({ status: 'pending', amountCents: 45_000 })]);
  });
});
