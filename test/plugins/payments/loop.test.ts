import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../demo/load-demo.ts';
import { DEMO_PASSWORD } from '../../../demo/users.ts';
import { runPluginSeeds } from '../../../engine/entry/server.ts';
import { loadPlugins } from '../../../engine/index.ts';
import { buildApp } from '../../../engine/server/app.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { createPaymentsPlugin } from '../../../plugins/payments/index.ts';
import { householdData, plusDays } from '../../engine/workflow-store/setup.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

/**
 * The whole loop through the HTTP API, on the shipped forms and workflow and the demo users, with
 * one clock for the server and the payments plugin: survey → application → township → check →
 * county → notice period → countersigned approval → benefit → batch → finance → bank file →
 * return file with one failure → reconciliation → the failed line in the next month's batch.
 * It runs once the application form and its workflow are in the tree (they come with the benefits
 * plugin's application path); until then it is skipped, not passed.
 */
const APPLICATION_FORM = new URL('../../../forms/assistance-application.json', import.meta.url);

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** No income and no savings: a 低保 candidate under any standard. */
function poorFamily(seed: number): Record<string, unknown> {
  const d = householdData(seed);
  const members = (d.members as Record<string, unknown>[]).map((m) => ({ ...m, annualIncome: 0 }));
  return { ...d, members, headAnnualIncome: 0, pension: 0, cashDeposits: 0, vehicles: [], otherAssets: '' };
}

interface Line {
  lineNo: number;
  benefitId: string;
  name: string;
  idNumber: string;
  month: string;
  amountCents: number;
  status: string;
  carriedFrom: string | null;
}

describe.skipIf(!existsSync(APPLICATION_FORM)).each(dialects())(
  'the payment loop through the server on $name',
  (dialect) => {
    let t: TestDatabase;
    let app: Awaited<ReturnType<typeof buildApp>>;
    const clock = { now: '2021-06-01T02:00:00.000Z' };
    const tokens = new Map<string, string>();
    const call = async (user: string, method: 'GET' | 'POST', url: string, body?: unknown) => {
      let token = tokens.get(user);
      if (!token) {
        const r = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: user, password: DEMO_PASSWORD },
        });
        token = (r.json() as { token: string }).token;
        tokens.set(user, token);
      }
      const r = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
      return { statusCode: r.statusCode, body: r.body, json: <T>() => r.json() as T };
    };
    const ok = async (user: string, method: 'GET' | 'POST', url: string, body?: unknown) => {
      const r = await call(user, method, url, body);
      expect(r.statusCode, `${user} ${method} ${url}: ${r.body.slice(0, 300)}`).toBeLessThan(300);
      return r;
    };

    beforeAll(async () => {
      t = await dialect.open();
      await loadDemo(t.db);
      const loaded = await loadPlugins(
        {
          plugins: [
            'rules',
            'registers',
            'benefits',
            'report',
            'sms-outbox',
            {
              use: 'payments',
              config: { agentBanks: [{ county: '511923', code: 'PCRCB', name: '平昌农商银行' }] },
            },
          ],
        },
        {
          engineVersion: '0.1.0',
          builtins: { ...builtinPlugins, payments: createPaymentsPlugin({ clock: () => clock.now }) },
          logger: SILENT,
        },
      );
      app = await buildApp({
        db: t.db,
        clock: () => clock.now,
        workflows: {
          dir: 'workflows',
          effects: loaded.effects,
          operations: loaded.operations,
          clock: () => clock.now,
          timerIntervalMs: false,
        },
        ...pluginAppOptions(loaded),
      });
      await runPluginSeeds(t.db, loaded);
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.destroy();
    });

    it('walks survey to reconciliation and carries the failed line to the next month', async () => {
      const families = [poorFamily(41), poorFamily(42)];
      const cases: string[] = [];
      for (const data of families) {
        // The survey updates the register; it starts no case.
        await ok('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
          data,
          status: 'submitted',
        });
        const r = await ok('baiyicun.staff', 'POST', '/api/forms/assistance-application/submissions', {
          data: {
            headIdNumber: data.headIdNumber,
            headName: data.headName,
            assistanceType: 'dibao',
            idCardChecked: true,
            authorizationSigned: true,
            authorizationDate: '2021-06-01',
            applicationDate: '2021-06-01',
          },
          status: 'submitted',
        });
        const id = r.json<{ id: string }>().id;
        cases.push(id);
        const act = (user: string, action: string) =>
          ok(user, 'POST', `/api/submissions/${id}/actions/${action}`, {});
        await act('baiyi.reviewer', 'approve'); // township
        await act('pingchang.reviewer', 'check'); // eligibility check: the proposed amount
        await act('pingchang.reviewer', 'approve'); // county review → public notice
      }
      // The notice period runs out on the injected clock; the timer moves both cases on.
      const fired = await app.workflows.runDueTimers(plusDays(clock.now, 7.01));
      expect(fired.map((f) => f.submissionId).sort()).toEqual([...cases].sort());
      clock.now = plusDays(clock.now, 8);
      for (const id of cases) {
        await ok('pingchang.reviewer', 'POST', `/api/submissions/${id}/actions/approve`, {});
        const done = await ok('pingchang.head', 'POST', `/api/submissions/${id}/actions/approve`, {});
        expect(done.json<{ state: string }>().state).toBe('approved');
      }
      const benefits: { id: string; amountCents: number; startMonth: string }[] = [];
      for (const data of families) {
        const items = (
          await ok(
            'pingchang.reviewer',
            'GET',
            `/api/plugins/benefits/benefits?household=${String(data.headIdNumber)}`,
          )
        ).json<{ items: { id: string; amountCents: number; startMonth: string; status: string }[] }>().items;
        expect(items).toHaveLength(1);
        expect(items[0]?.amountCents).toBeGreaterThan(0);
        benefits.push(items[0] as { id: string; amountCents: number; startMonth: string });
      }
      const month = benefits[0]?.startMonth as string;
      const next = `${month.slice(0, 5)}${String(Number(month.slice(5)) + 1).padStart(2, '0')}`;

      // 人社 registers the cards; civil affairs generates the month's batch; finance approves it.
      clock.now = `${month}-03T02:00:00.000Z`;
      const card = (data: Record<string, unknown>, accountNumber: string) => ({
        idNumber: data.headIdNumber,
        holderName: data.headName,
        accountNumber,
        bankName: '平昌农商银行',
        phone: data.phone,
      });
      await ok('pingchang.hrss', 'POST', '/api/payments/card-accounts', {
        rows: [
          card(families[0] as Record<string, unknown>, '6230000000000201'),
          card(families[1] as Record<string, unknown>, '6230000000000202'),
        ],
      });
      const g = await ok('pingchang.reviewer', 'POST', '/api/payments/batches', { orgCode: '511923', month });
      const batch = g.json<{ batch: { id: string; totals: { count: number; amountCents: number } } }>().batch;
      expect(batch.totals.count).toBe(2);
      expect(batch.totals.amountCents).toBe(benefits.reduce((s, b) => s + b.amountCents, 0));
      expect((await call('pingchang.bank', 'GET', `/api/payments/batches/${batch.id}`)).statusCode).toBe(404);
      await ok('pingchang.finance', 'POST', `/api/payments/batches/${batch.id}/approve`, {});

      // The bank's file, then its return file: the first family paid, the second failed.
      const file = await ok('pingchang.bank', 'GET', `/api/payments/batches/${batch.id}/bank-file`);
      const rows = file.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n')
        .map((r) => r.split(','));
      expect(rows).toHaveLength(4);
      const rowOf = (data: Record<string, unknown>) =>
        rows.find((r) => r[3] === data.headIdNumber) as string[];
      const [a, b] = [
        rowOf(families[0] as Record<string, unknown>),
        rowOf(families[1] as Record<string, unknown>),
      ];
      const answer = [
        '批次号,行号,身份证号码,金额（元）,结果,失败原因,处理日期',
        `${a[0]},${a[1]},${a[3]},${a[5]},成功,,${month}-10`,
        `${b[0]},${b[1]},${b[3]},${b[5]},失败,账户已冻结,${month}-10`,
      ].join('\r\n');
      const imported = await ok('pingchang.bank', 'POST', `/api/payments/batches/${batch.id}/return-file`, {
        content: answer,
      });
      expect(imported.json()).toMatchObject({ paid: 1, failed: 1, batchStatus: 'reconciled' });
      const again = await ok('pingchang.bank', 'POST', `/api/payments/batches/${batch.id}/return-file`, {
        content: answer,
      });
      expect(again.json()).toMatchObject({ duplicate: true, paid: 0, failed: 0 });
      const rec = (
        await ok('pingchang.finance', 'GET', `/api/payments/batches/${batch.id}/reconciliation`)
      ).json<Record<string, { count: number }>>();
      expect([rec.paid?.count, rec.failed?.count, rec.missing?.count]).toEqual([1, 1, 0]);
      const texts = (await ok('pingchang.reviewer', 'GET', '/api/plugins/sms-outbox/messages')).json<{
        items: { to: string; body: string }[];
      }>().items;
      expect(texts.filter((m) => m.body.includes('社会保障卡')).map((m) => m.to)).toEqual([
        String((families[0] as Record<string, unknown>).phone),
      ]);

      // 人社 fixes the second card; next month's batch carries the failed month beside the new ones.
      clock.now = `${next}-03T02:00:00.000Z`;
      await ok('pingchang.hrss', 'POST', '/api/payments/card-accounts', {
        rows: [card(families[1] as Record<string, unknown>, '6230000000000299')],
      });
      const n = await ok('pingchang.reviewer', 'POST', '/api/payments/batches', {
        orgCode: '511923',
        month: next,
      });
      const nextBatch = n.json<{ batch: { id: string } }>().batch;
      const lines = (await ok('pingchang.reviewer', 'GET', `/api/payments/batches/${nextBatch.id}`)).json<{
        lines: Line[];
      }>().lines;
      const failedId = benefits[1]?.id;
      expect(
        lines
          .map(
            (l) =>
              `${l.benefitId === failedId ? 'B' : 'A'}|${l.month}|${l.status}|${l.carriedFrom ? 'carried' : 'new'}`,
          )
          .sort(),
      ).toEqual([`A|${next}|pending|new`, `B|${month}|pending|carried`, `B|${next}|pending|new`].sort());
      // The paid benefit-month is never listed again.
      expect(lines.some((l) => l.benefitId === benefits[0]?.id && l.month === month)).toBe(false);
    }, 120_000);
  },
);
