import { type Kysely, type Migration, sql } from 'kysely';
import { createTables, type Database } from '../../engine/entry/server.ts';
import TABLES_001 from './tables-001.json' with { type: 'json' };

/**
 * The payments plugin's tables. A batch is one county's list for one month; its lines are
 * benefit-months (a benefit and the month it pays for). Two partial unique indexes keep the
 * money honest whatever the code above them does:
 * - `payment_lines_paid_once`: a benefit-month is paid at most once, across every batch;
 * - `payment_lines_one_claim`: a benefit-month has at most one open claim (a line waiting to be
 *   paid, blocked, or failed and not yet carried to a later batch).
 */

/** One social-security card account (社会保障卡) as 人社 keeps it. */
export type CardAccountTable = {
  /** The holder's ID number, normalised (upper-case X). */
  id_number: string;
  account_number: string;
  bank_name: string;
  holder_name: string;
  /** The mobile number registered with the card, for the payment notice (null: no text). */
  phone: string | null;
  /** The county whose 人社 maintains the account; its path bounds who may see and change it. */
  org_code: string;
  org_path: string;
  version: number;
  updated_at: string;
  updated_by: string;
};

/** pending_finance → approved (→ reconciled) | returned. */
export type BatchStatus = 'pending_finance' | 'returned' | 'approved' | 'reconciled';

export type PaymentBatchTable = {
  id: string;
  /** The county the batch pays in. */
  org_code: string;
  org_path: string;
  /** YYYY-MM: the month the batch is for. */
  month: string;
  /** The agent bank it is addressed to (from the config, per county). */
  bank_code: string;
  bank_name: string;
  status: BatchStatus;
  generated_by: string;
  generated_at: string;
  decided_by: string | null;
  decided_at: string | null;
  return_reason: string | null;
  exported_at: string | null;
  exported_by: string | null;
  version: number;
};

/** pending (exported to the bank) | blocked (not exported) | paid | failed | withdrawn (batch returned). */
export type LineStatus = 'pending' | 'blocked' | 'paid' | 'failed' | 'withdrawn';

export type PaymentLineTable = {
  id: string;
  batch_id: string;
  /** 1, 2, … within the batch: the number the bank's return file refers to. */
  line_no: number;
  benefit_id: string;
  /** The head's ID number (the household register key). */
  id_number: string;
  head_name: string;
  /** dibao | tekun | linshi */
  type: string;
  period: string;
  /** YYYY-MM: the month this line pays for (earlier than the batch's month when carried). */
  month: string;
  amount_cents: number;
  account_number: string | null;
  bank_name: string | null;
  status: LineStatus;
  /** Why a line is blocked: no_account | holder_mismatch. */
  block_reason: string | null;
  /** The bank's reason for a failure. */
  result_reason: string | null;
  /** YYYY-MM-DD: when the bank paid or failed it. */
  result_date: string | null;
  return_id: string | null;
  /** The line of an earlier batch this one carries (failed or blocked there). */
  carried_from: string | null;
  /** The line of a later batch that carries this one. */
  carried_to: string | null;
  /** The benefit's own unit (village), for the hierarchy. */
  org_code: string;
  org_path: string;
  created_at: string;
  updated_at: string;
};

/** One imported return file: its hash makes a second import of the same file a no-op. */
export type PaymentReturnTable = {
  id: string;
  batch_id: string;
  sha256: string;
  file_name: string | null;
  paid: number;
  failed: number;
  unchanged: number;
  imported_by: string;
  imported_at: string;
};

export type PaymentTables = {
  card_accounts: CardAccountTable;
  payment_batches: PaymentBatchTable;
  payment_lines: PaymentLineTable;
  payment_returns: PaymentReturnTable;
};

export type PaymentsDb = Kysely<Database & PaymentTables>;
export const paymentsDb = (db: Kysely<Database>): PaymentsDb => db.withTables<PaymentTables>();

const tables001: Migration = {
  async up(db: Kysely<unknown>) {
    await createTables(db, TABLES_001);
    // One live batch per county and month (a returned one steps aside for its replacement).
    await sql`create unique index payment_batches_one_live on payment_batches (org_code, month) where status <> 'returned'`.execute(
      db,
    );
    // A benefit is paid once a month, and claimed by one open line at a time.
    await sql`create unique index payment_lines_paid_once on payment_lines (benefit_id, month) where status = 'paid'`.execute(
      db,
    );
    await sql`create unique index payment_lines_one_claim on payment_lines (benefit_id, month) where status in ('pending', 'blocked', 'failed') and carried_to is null`.execute(
      db,
    );
  },
};

export const PAYMENTS_MIGRATIONS: Readonly<Record<string, Migration>> = { '001_tables': tables001 };
