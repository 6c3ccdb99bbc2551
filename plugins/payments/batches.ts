import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type Database,
  getOrgUnit,
  isUniqueViolation,
  maskIdNumber,
  type Principal,
  writeAudit,
  writeTransaction,
} from '../../engine/entry/server.ts';
import type { BenefitsService } from './benefits-contract.ts';
import { maskAccount } from './card-accounts.ts';
import { paymentsError } from './errors.ts';
import {
  type BatchStatus,
  type LineStatus,
  type PaymentBatchTable,
  type PaymentLineTable,
  paymentsDb,
} from './tables.ts';

/**
 * Monthly payment batches: civil affairs generates one per county and month from the benefits
 * payable then (and the earlier benefit-months that failed or were blocked), finance approves or
 * returns it whole, the bank pays it. No route here takes an amount: a line's amount is the
 * benefit's, copied at generation.
 */

/** The agent bank of a county, as declared in the plugin's config. */
export interface AgentBank {
  readonly county: string;
  readonly code: string;
  readonly name: string;
}

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface LineView {
  readonly id: string;
  readonly lineNo: number;
  readonly benefitId: string;
  readonly name: string;
  readonly idNumber: string;
  readonly accountNumber: string | null;
  readonly bankName: string | null;
  readonly type: string;
  readonly period: string;
  readonly month: string;
  readonly amountCents: number;
  readonly status: LineStatus;
  readonly blockReason: string | null;
  readonly resultReason: string | null;
  readonly resultDate: string | null;
  readonly carriedFrom: string | null;
  readonly carriedTo: string | null;
  readonly orgCode: string;
}

export interface Totals {
  /** Lines the bank file carries (not blocked, not withdrawn). */
  readonly count: number;
  readonly amountCents: number;
  readonly blockedCount: number;
  readonly blockedCents: number;
  /** Per type: exportable count and amount. */
  readonly byType: Readonly<Record<string, { count: number; amountCents: number }>>;
}

export interface BatchView {
  readonly id: string;
  readonly orgCode: string;
  readonly orgName: string;
  readonly month: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly status: BatchStatus;
  readonly generatedBy: string;
  readonly generatedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly returnReason: string | null;
  readonly exportedAt: string | null;
  readonly version: number;
  readonly totals: Totals;
}

/** What the bank file carries: lines waiting for or having had the bank's answer. */
export const EXPORTED: readonly LineStatus[] = ['pending', 'paid', 'failed'];

export function totalsOf(
  lines: readonly Pick<PaymentLineTable, 'status' | 'type' | 'amount_cents'>[],
): Totals {
  let count = 0;
  let amountCents = 0;
  let blockedCount = 0;
  let blockedCents = 0;
  const byType: Record<string, { count: number; amountCents: number }> = {};
  for (const l of lines) {
    if (l.status === 'blocked') {
      blockedCount++;
      blockedCents += l.amount_cents;
    } else if (EXPORTED.includes(l.status)) {
      count++;
      amountCents += l.amount_cents;
      const t = byType[l.type] ?? { count: 0, amountCents: 0 };
      byType[l.type] = t;
      t.count++;
      t.amountCents += l.amount_cents;
    }
  }
  return { count, amountCents, blockedCount, blockedCents, byType };
}

export function lineView(l: PaymentLineTable, pii: boolean): LineView {
  return {
    id: l.id,
    lineNo: l.line_no,
    benefitId: l.benefit_id,
    name: l.head_name,
    idNumber: pii ? l.id_number : maskIdNumber(l.id_number),
    accountNumber: l.account_number === null ? null : pii ? l.account_number : maskAccount(l.account_number),
    bankName: l.bank_name,
    type: l.type,
    period: l.period,
    month: l.month,
    amountCents: l.amount_cents,
    status: l.status,
    blockReason: l.block_reason,
    resultReason: l.result_reason,
    resultDate: l.result_date,
    carriedFrom: l.carried_from,
    carriedTo: l.carried_to,
    orgCode: l.org_code,
  };
}

export async function batchLines(db: Kysely<Database>, batchId: string): Promise<PaymentLineTable[]> {
  return paymentsDb(db)
    .selectFrom('payment_lines')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('line_no')
    .execute();
}

export async function batchView(db: Kysely<Database>, b: PaymentBatchTable): Promise<BatchView> {
  const lines = await paymentsDb(db)
    .selectFrom('payment_lines')
    .select(['status', 'type', 'amount_cents'])
    .where('batch_id', '=', b.id)
    .execute();
  const unit = await getOrgUnit(db, b.org_code);
  return {
    id: b.id,
    orgCode: b.org_code,
    orgName: unit?.name ?? b.org_code,
    month: b.month,
    bankCode: b.bank_code,
    bankName: b.bank_name,
    status: b.status,
    generatedBy: b.generated_by,
    generatedAt: b.generated_at,
    decidedBy: b.decided_by,
    decidedAt: b.decided_at,
    returnReason: b.return_reason,
    exportedAt: b.exported_at,
    version: b.version,
    totals: totalsOf(lines),
  };
}

/** Who sees which batches: the bank only those finance has approved (addressed to it, to pay). */
export const BANK_VISIBLE: readonly BatchStatus[] = ['approved', 'reconciled'];

export function canSeeBatch(p: Principal, b: Pick<PaymentBatchTable, 'org_path' | 'status'>): boolean {
  if (!b.org_path.startsWith(p.orgPath)) return false;
  const onlyBank = p.roles.includes('bank') && !p.roles.some((r) => r !== 'bank' && r !== 'service');
  return !onlyBank || BANK_VISIBLE.includes(b.status);
}

/** The batch if the caller may see it; 404 otherwise (outside the subtree answers as if absent). */
export async function findBatch(db: Kysely<Database>, p: Principal, id: string): Promise<PaymentBatchTable> {
  const b = await paymentsDb(db)
    .selectFrom('payment_batches')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!b || !canSeeBatch(p, b)) throw paymentsError('NX_ERR_PAYMENTS_NOT_FOUND');
  return b;
}

export async function listBatches(
  db: Kysely<Database>,
  p: Principal,
  q: {
    readonly orgCode?: string | undefined;
    readonly month?: string | undefined;
    readonly status?: string | undefined;
  },
): Promise<BatchView[]> {
  let sel = paymentsDb(db)
    .selectFrom('payment_batches')
    .selectAll()
    .where('org_path', 'like', `${p.orgPath}%`);
  if (q.orgCode) sel = sel.where('org_code', '=', q.orgCode);
  if (q.month) sel = sel.where('month', '=', q.month);
  if (q.status) sel = sel.where('status', '=', q.status as BatchStatus);
  const rows = (
    await sel.orderBy('month', 'desc').orderBy('org_path').orderBy('generated_at').limit(500).execute()
  ).filter((b) => canSeeBatch(p, b));
  const out: BatchView[] = [];
  for (const b of rows) out.push(await batchView(db, b));
  return out;
}

interface Claim {
  readonly benefitId: string;
  readonly idNumber: string;
  readonly headName: string;
  readonly type: string;
  readonly period: string;
  readonly month: string;
  readonly amountCents: number;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly carriedFrom?: string;
}

/** Lines of finance-approved batches of the county, earlier months, failed or blocked and not yet carried. */
async function owedClaims(db: Kysely<Database>, county: string, month: string): Promise<Claim[]> {
  const rows = await paymentsDb(db)
    .selectFrom('payment_lines as l')
    .innerJoin('payment_batches as b', 'b.id', 'l.batch_id')
    .selectAll('l')
    .where('b.org_code', '=', county)
    .where('b.status', 'in', BANK_VISIBLE as BatchStatus[])
    .where('b.month', '<', month)
    .where('l.status', 'in', ['failed', 'blocked'])
    .where('l.carried_to', 'is', null)
    .orderBy('l.month')
    .orderBy('l.line_no')
    .execute();
  return rows.map((l) => ({
    benefitId: l.benefit_id,
    idNumber: l.id_number,
    headName: l.head_name,
    type: l.type,
    period: l.period,
    month: l.month,
    amountCents: l.amount_cents,
    orgCode: l.org_code,
    orgPath: l.org_path,
    carriedFrom: l.id,
  }));
}

/** Benefit-months among `claims` that are paid already or have an open claim: never listed again. */
async function taken(db: Kysely<Database>, claims: readonly Claim[]): Promise<Set<string>> {
  const out = new Set<string>();
  const ids = [...new Set(claims.map((c) => c.benefitId))];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await paymentsDb(db)
      .selectFrom('payment_lines')
      .select(['benefit_id', 'month', 'status', 'carried_to'])
      .where('benefit_id', 'in', ids.slice(i, i + 500))
      .where('status', 'in', ['paid', 'pending', 'blocked', 'failed'])
      .execute();
    for (const r of rows)
      if (r.status === 'paid' || r.carried_to === null) out.add(`${r.benefit_id}|${r.month}`);
  }
  return out;
}

export interface GenerateResult {
  readonly created: boolean;
  readonly batch: BatchView;
}

/**
 * Generates the batch of `county` for `month`, or returns the live one (generating twice gives
 * the same batch). Lines: the benefits payable that month, then the earlier benefit-months owed
 * (failed at the bank or blocked for want of a card account), each read against the card
 * accounts as they are now; a line without a usable account is blocked (listed, not exported).
 */
export async function generateBatch(
  db: Kysely<Database>,
  deps: { readonly benefits: BenefitsService; readonly banks: readonly AgentBank[] },
  p: Principal,
  args: { readonly orgCode: string; readonly month: string },
  now: string,
): Promise<GenerateResult> {
  if (!MONTH.test(args.month)) throw paymentsError('NX_ERR_PAYMENTS_BAD_REQUEST');
  const county = await getOrgUnit(db, args.orgCode);
  if (county?.level !== 'county' || !county.path.startsWith(p.orgPath))
    throw paymentsError('NX_ERR_PAYMENTS_BAD_REQUEST');
  const bank = deps.banks.find((b) => b.county === county.code);
  if (!bank) throw paymentsError('NX_ERR_PAYMENTS_NO_AGENT_BANK');
  const live = async (trx: Kysely<Database>) =>
    paymentsDb(trx)
      .selectFrom('payment_batches')
      .selectAll()
      .where('org_code', '=', county.code)
      .where('month', '=', args.month)
      .where('status', '<>', 'returned')
      .executeTakeFirst();
  try {
    return await writeTransaction(db, async (trx) => {
      const existing = await live(trx);
      if (existing) return { created: false, batch: await batchView(trx, existing) };
      const pdb = paymentsDb(trx);
      const payable = await deps.benefits.payableForMonth(trx, { orgPath: county.path, month: args.month });
      const fresh: Claim[] = payable.map((b) => ({
        benefitId: b.benefitId,
        idNumber: b.householdKey,
        headName: b.headName,
        type: b.type,
        period: b.period,
        month: args.month,
        amountCents: b.amountCents,
        orgCode: b.orgCode,
        orgPath: b.orgPath,
      }));
      const owed = await owedClaims(trx, county.code, args.month);
      const busy = await taken(trx, fresh);
      const claims = [...fresh.filter((c) => !busy.has(`${c.benefitId}|${c.month}`)), ...owed];
      if (claims.length === 0) throw paymentsError('NX_ERR_PAYMENTS_NOTHING_TO_PAY');
      const ids = [...new Set(claims.map((c) => c.idNumber))];
      const accounts = new Map<string, { account_number: string; bank_name: string; holder_name: string }>();
      for (let i = 0; i < ids.length; i += 500)
        for (const a of await pdb
          .selectFrom('card_accounts')
          .select(['id_number', 'account_number', 'bank_name', 'holder_name'])
          .where('id_number', 'in', ids.slice(i, i + 500))
          .execute())
          accounts.set(a.id_number, a);
      const batchId = randomUUID();
      await pdb
        .insertInto('payment_batches')
        .values({
          id: batchId,
          org_code: county.code,
          org_path: county.path,
          month: args.month,
          bank_code: bank.code,
          bank_name: bank.name,
          status: 'pending_finance',
          generated_by: p.username,
          generated_at: now,
          decided_by: null,
          decided_at: null,
          return_reason: null,
          exported_at: null,
          exported_by: null,
          version: 1,
        })
        .execute();
      const lines: PaymentLineTable[] = claims.map((c, i) => {
        const a = accounts.get(c.idNumber);
        const blockReason = !a ? 'no_account' : a.holder_name !== c.headName ? 'holder_mismatch' : null;
        return {
          id: randomUUID(),
          batch_id: batchId,
          line_no: i + 1,
          benefit_id: c.benefitId,
          id_number: c.idNumber,
          head_name: c.headName,
          type: c.type,
          period: c.period,
          month: c.month,
          amount_cents: c.amountCents,
          account_number: a?.account_number ?? null,
          bank_name: a?.bank_name ?? null,
          status: blockReason ? 'blocked' : 'pending',
          block_reason: blockReason,
          result_reason: null,
          result_date: null,
          return_id: null,
          carried_from: c.carriedFrom ?? null,
          carried_to: null,
          org_code: c.orgCode,
          org_path: c.orgPath,
          created_at: now,
          updated_at: now,
        };
      });
      // The old claim is closed first: the one-open-claim index allows one line per benefit-month.
      for (const l of lines)
        if (l.carried_from)
          await pdb
            .updateTable('payment_lines')
            .set({ carried_to: l.id, updated_at: now })
            .where('id', '=', l.carried_from)
            .execute();
      for (let i = 0; i < lines.length; i += 200)
        await pdb
          .insertInto('payment_lines')
          .values(lines.slice(i, i + 200))
          .execute();
      const totals = totalsOf(lines);
      await writeAudit(trx, {
        actor: p.username,
        action: 'payments.batch.generate',
        entityType: 'payment_batch',
        entityId: batchId,
        orgPath: county.path,
        after: {
          orgCode: county.code,
          month: args.month,
          bank: bank.code,
          lines: lines.length,
          carried: owed.length,
          ...totals,
        },
        at: now,
      });
      const made = await pdb
        .selectFrom('payment_batches')
        .selectAll()
        .where('id', '=', batchId)
        .executeTakeFirstOrThrow();
      return { created: true, batch: await batchView(trx, made) };
    });
  } catch (e) {
    // Two generations at once: the second meets the unique index and gets the first's batch.
    if (!isUniqueViolation(e)) throw e;
    const existing = await live(db);
    if (!existing) throw e;
    return { created: false, batch: await batchView(db, existing) };
  }
}

/**
 * Finance approves or returns the whole batch (a reason required to return). A returned batch's
 * lines are withdrawn and the lines it carried become owed again, so civil affairs can generate
 * the month afresh.
 */
export async function decideBatch(
  db: Kysely<Database>,
  p: Principal,
  id: string,
  decision: { readonly action: 'approve' | 'return'; readonly reason?: string | undefined },
  now: string,
): Promise<BatchView> {
  const reason = decision.reason?.trim();
  if (decision.action === 'return' && !reason) throw paymentsError('NX_ERR_PAYMENTS_REASON_REQUIRED');
  return writeTransaction(db, async (trx) => {
    const pdb = paymentsDb(trx);
    const b = await findBatch(trx, p, id);
    if (b.status !== 'pending_finance') throw paymentsError('NX_ERR_PAYMENTS_BAD_STATE');
    const status: BatchStatus = decision.action === 'approve' ? 'approved' : 'returned';
    const r = await pdb
      .updateTable('payment_batches')
      .set({
        status,
        decided_by: p.username,
        decided_at: now,
        return_reason: decision.action === 'return' ? (reason ?? null) : null,
        version: b.version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', b.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw paymentsError('NX_ERR_PAYMENTS_BAD_STATE');
    if (status === 'returned') {
      const mine = await pdb
        .selectFrom('payment_lines')
        .select(['id', 'carried_from'])
        .where('batch_id', '=', id)
        .execute();
      await pdb
        .updateTable('payment_lines')
        .set({ status: 'withdrawn', updated_at: now })
        .where('batch_id', '=', id)
        .execute();
      const from = mine.flatMap((l) => (l.carried_from ? [l.carried_from] : []));
      for (let i = 0; i < from.length; i += 500)
        await pdb
          .updateTable('payment_lines')
          .set({ carried_to: null, updated_at: now })
          .where('id', 'in', from.slice(i, i + 500))
          .execute();
    }
    await writeAudit(trx, {
      actor: p.username,
      action: `payments.batch.${decision.action}`,
      entityType: 'payment_batch',
      entityId: id,
      orgPath: b.org_path,
      before: { status: b.status },
      after: { status, ...(status === 'returned' ? { reason } : {}) },
      at: now,
    });
    const after = await pdb
      .selectFrom('payment_batches')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return batchView(trx, after);
  });
}
