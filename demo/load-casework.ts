import type { FastifyInstance } from 'fastify';
import { type DemoActor, type DemoClock, demoActor, plusDays } from './casework.ts';
import { type DemoHousehold, demoHouseholds } from './households.ts';

/** What the demo's casework left in the database, for the start-up message and the tests. */
export interface CaseworkReport {
  surveys: number;
  /** Application submission ids by the step the demo leaves them at. */
  cases: Record<DemoCaseStep, string[]>;
  /** The month of the paid batch (YYYY-MM), and its id. */
  batch?: { id: string; month: string; failedIdNumber: string };
}

export type DemoCaseStep =
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'public_notice'
  | 'township_review'
  | 'eligibility_check'
  | 'one_off';

/** How many families the demo village surveys. */
export const DEMO_HOUSEHOLDS = 36;

/** The demo's people (demo/users.ts). */
const U = {
  village: 'baiyicun.staff',
  township: 'baiyi.reviewer',
  county: 'pingchang.reviewer',
  head: 'pingchang.head',
  finance: 'pingchang.finance',
  bank: 'pingchang.bank',
  hrss: 'pingchang.hrss',
} as const;

interface Actors {
  village: DemoActor;
  township: DemoActor;
  county: DemoActor;
  head: DemoActor;
  finance: DemoActor;
  bank: DemoActor;
  hrss: DemoActor;
}

/**
 * The casework of the demo, done through the HTTP API by the demo users as the pages would do it,
 * on a clock that starts `daysAgo` (default 60) days before `today`. `app` must be built on that
 * clock with its timers left to the caller (see cli/server.ts). The story:
 * - the village surveys 36 families (every band of the rules);
 * - the families under the 低保 standard apply: five are approved after their notice period and
 *   receive a monthly benefit, one is rejected, one returned for a missing paper, one is in its
 *   notice period today, one waits for the township, one for the eligibility check; a family hit
 *   by illness gets 临时救助 once;
 * - 人社 registers their social-security cards; the county generates the first month's payment
 *   batch, finance approves it, the bank pays it and returns one line as failed (a frozen
 *   account), which 人社 then corrects so the next batch carries it.
 */
export async function loadDemoCasework(
  app: FastifyInstance,
  clock: DemoClock,
  today: string,
  opts: { daysAgo?: number } = {},
): Promise<CaseworkReport> {
  const t0 = plusDays(today, -(opts.daysAgo ?? 60));
  const at = (days: number) => clock.set(plusDays(t0, days));
  clock.set(t0);
  const a: Actors = {
    village: await demoActor(app, U.village),
    township: await demoActor(app, U.township),
    county: await demoActor(app, U.county),
    head: await demoActor(app, U.head),
    finance: await demoActor(app, U.finance),
    bank: await demoActor(app, U.bank),
    hrss: await demoActor(app, U.hrss),
  };
  const report: CaseworkReport = {
    surveys: 0,
    cases: {
      approved: [],
      rejected: [],
      returned: [],
      public_notice: [],
      township_review: [],
      eligibility_check: [],
      one_off: [],
    },
  };

  // Day 0: the survey (摸底排查) of the village.
  const families = demoHouseholds(DEMO_HOUSEHOLDS, chinaDate(t0));
  for (const [i, h] of families.entries()) {
    at(i * 0.01);
    await a.village.call('POST', '/api/forms/household-survey/submissions', {
      status: 'submitted',
      data: h.data,
    });
    report.surveys += 1;
  }

  const under = families.filter((f) => f.band === 'under');
  const nth = (i: number): DemoHousehold => {
    const f = under[i];
    if (!f) throw new Error(`demo: fewer than ${i + 1} families under the standard`);
    return f;
  };
  const [u0, u1, u2, u3, u4] = [nth(0), nth(1), nth(2), nth(3), nth(4)];
  const [rejected, returned, inNotice, atTownship, atCheck] = [nth(5), nth(6), nth(7), nth(8), nth(9)];
  const approved = [u0, u1, u2, u3, u4];
  const act = (who: DemoActor, id: string, action: string, body: Record<string, unknown> = {}) =>
    who.call('POST', `/api/submissions/${id}/actions/${action}`, body);

  // Day 4: the families under the standard apply (一证一书 checked by the village).
  at(4);
  const ids = new Map<DemoHousehold, string>();
  for (const f of [...approved, rejected, returned]) ids.set(f, await apply(a, f, 'dibao', t0, 4));

  // Day 6: the township passes them on, except one returned for a missing paper.
  at(6);
  for (const f of [...approved, rejected]) await act(a.township, idOf(ids, f), 'approve');
  await act(a.township, idOf(ids, returned), 'return', {
    comment: '经济状况核查授权委托书未签署日期，请补签后重新提交',
  });
  report.cases.returned.push(idOf(ids, returned));

  // Day 8: the county checks income and assets, sends five to the notice, rejects one.
  at(8);
  for (const f of [...approved, rejected]) await act(a.county, idOf(ids, f), 'check');
  at(10);
  for (const f of approved) await act(a.county, idOf(ids, f), 'approve');
  await act(a.county, idOf(ids, rejected), 'reject', {
    comment: '经核查，子女有稳定收入且履行赡养义务，家庭人均收入高于低保标准',
  });
  report.cases.rejected.push(idOf(ids, rejected));

  // Day 17: nobody objected during the 7 days; the county countersigns the approval.
  at(17.1);
  await app.workflows.runDueTimers(clock());
  at(18);
  for (const f of approved) {
    await act(a.county, idOf(ids, f), 'approve');
    await act(a.head, idOf(ids, f), 'approve');
    report.cases.approved.push(idOf(ids, f));
  }

  // 人社 registers the families' social-security cards.
  at(19);
  await a.hrss.call('POST', '/api/payments/card-accounts', {
    rows: approved.map((f, i) => cardAccount(f, i)),
  });

  // The first month payable: the month after the approval.
  const month = nextMonth(chinaDate(clock()).slice(0, 7));
  const firstDay = daysFrom(t0, `${month}-01T01:00:00.000Z`);

  // Early in that month, a family hit by illness gets 临时救助 (one-off, no notice period).
  const illness = families.find((f) => f.band === 'expense');
  if (illness) {
    at(firstDay + 0.1);
    const id = await apply(a, illness, 'linshi', t0, firstDay + 0.1, {
      amountRequested: 2000,
      emergencyReason: '户主突发疾病住院，自付医疗费用较高',
    });
    at(firstDay + 0.3);
    await act(a.township, id, 'approve');
    await act(a.county, id, 'check');
    await act(a.county, id, 'grant');
    await act(a.county, id, 'approve');
    await act(a.head, id, 'approve');
    await a.hrss.call('POST', '/api/payments/card-accounts', { rows: [cardAccount(illness, 9)] });
    report.cases.one_off.push(id);
  }

  // The county generates the month's batch; finance approves it whole; the bank pays it.
  at(firstDay + 2);
  const batch = await a.county.call<{ batch: { id: string } }>('POST', '/api/payments/batches', {
    orgCode: '511923',
    month,
  });
  const batchId = batch.batch.id;
  at(firstDay + 3);
  await a.finance.call('POST', `/api/payments/batches/${batchId}/approve`, {});
  at(firstDay + 4);
  const bankFile = await a.bank.text(`/api/payments/batches/${batchId}/bank-file?format=csv`);
  const failedId = String(u3.data.headIdNumber);
  at(firstDay + 5);
  await a.bank.call('POST', `/api/payments/batches/${batchId}/return-file`, {
    content: returnFile(bankFile, failedId, chinaDate(clock())),
    fileName: `return-${month}.csv`,
  });
  report.batch = { id: batchId, month, failedIdNumber: failedId };
  // 人社 corrects the frozen account; the next batch carries the failed line.
  at(firstDay + 6);
  await a.hrss.call('POST', '/api/payments/card-accounts', { rows: [cardAccount(u3, 20)] });

  // Recent days: one family in its notice period, one at the eligibility check, one at the township.
  const daysToToday = daysFrom(t0, today);
  at(Math.max(firstDay + 7, daysToToday - 9));
  const noticeId = await apply(a, inNotice, 'dibao', t0, daysFrom(t0, clock()));
  at(daysToToday - 6);
  await act(a.township, noticeId, 'approve');
  at(daysToToday - 5);
  await act(a.county, noticeId, 'check');
  at(daysToToday - 3);
  await act(a.county, noticeId, 'approve');
  report.cases.public_notice.push(noticeId);

  at(daysToToday - 4);
  const checkId = await apply(a, atCheck, 'dibao', t0, daysFrom(t0, clock()));
  at(daysToToday - 2);
  await act(a.township, checkId, 'approve');
  report.cases.eligibility_check.push(checkId);

  at(daysToToday - 1);
  report.cases.township_review.push(await apply(a, atTownship, 'dibao', t0, daysFrom(t0, clock())));
  return report;
}

function idOf(ids: Map<DemoHousehold, string>, f: DemoHousehold): string {
  const id = ids.get(f);
  if (!id) throw new Error('demo: a family that did not apply');
  return id;
}

/** Files a submitted application (救助申请) for a surveyed family; returns its id. */
async function apply(
  a: Actors,
  f: DemoHousehold,
  type: 'dibao' | 'tekun' | 'linshi',
  t0: string,
  day: number,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const date = chinaDate(plusDays(t0, day));
  const r = await a.village.call<{ id: string }>('POST', '/api/forms/assistance-application/submissions', {
    status: 'submitted',
    data: {
      headIdNumber: f.data.headIdNumber,
      headName: f.data.headName,
      phone: f.data.phone,
      assistanceType: type,
      idCardChecked: true,
      authorizationSigned: true,
      authorizationDate: date,
      applicationDate: date,
      ...extra,
    },
  });
  return r.id;
}

/** A card account row (人社) for a family: a 19-digit account of the county's agent bank. */
function cardAccount(f: DemoHousehold, n: number) {
  const id = String(f.data.headIdNumber);
  return {
    idNumber: id,
    accountNumber: `6230${id.slice(6, 14)}${String(1000000 + n * 7919).slice(-7)}`,
    bankName: '平昌农商银行',
    holderName: String(f.data.headName),
    phone: String(f.data.phone),
  };
}

/**
 * The bank's answer to its file: every line paid on `date` except the one of `failedId`, whose
 * account was frozen (layout in docs/payments.md).
 */
export function returnFile(bankFile: string, failedId: string, date: string): string {
  const rows = bankFile
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
  const out = ['批次号,行号,身份证号码,金额（元）,结果,失败原因,处理日期'];
  for (const r of rows.slice(1)) {
    const [batch, line, , idNumber, , amount] = [r[0], r[1], r[2], r[3], r[4], r[5]];
    if (!batch || batch === '合计' || !line) continue;
    const failed = idNumber === failedId;
    out.push(
      [batch, line, idNumber, amount, failed ? '失败' : '成功', failed ? '账户已冻结' : '', date].join(','),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}

/** The calendar day in China (UTC+8) of an instant. */
export function chinaDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

function nextMonth(ym: string): string {
  const [y, m] = [Number(ym.slice(0, 4)), Number(ym.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Days (fractional) from `t0` to `iso`. */
function daysFrom(t0: string, iso: string): number {
  return (Date.parse(iso) - Date.parse(t0)) / 86_400_000;
}
