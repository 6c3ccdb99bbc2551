import type { Kysely } from 'kysely';
import type { ErrorDetail } from '../../engine/entry/plugin.ts';
import { parseIdcard, todayInChina } from '../../engine/entry/runtime.ts';
import {
  type Database,
  getOrgUnit,
  maskIdNumber,
  maskPhone,
  type Principal,
  writeAudit,
  writeTransaction,
} from '../../engine/entry/server.ts';
import { paymentsError } from './errors.ts';
import { type CardAccountTable, paymentsDb } from './tables.ts';

/**
 * Social-security card accounts (社会保障卡), kept by 人社 (role `hrss`) for its county: the
 * account each benefit is paid into. Imported as a whole or not at all; each changed account is
 * a new version, audited.
 */

export interface CardAccountInput {
  readonly idNumber: string;
  readonly accountNumber: string;
  readonly bankName: string;
  readonly holderName: string;
  readonly phone?: string | undefined;
  /** The county whose 人社 maintains it; default the caller's unit. */
  readonly orgCode?: string | undefined;
}

export interface CardAccountView {
  readonly idNumber: string;
  readonly accountNumber: string;
  readonly bankName: string;
  readonly holderName: string;
  readonly phone: string | null;
  readonly orgCode: string;
  readonly version: number;
  readonly updatedAt: string;
}

/** The ID number as stored and matched: trimmed, upper-case X. */
export const normaliseIdNumber = (s: string): string => s.trim().toUpperCase();

/** Only the last four digits of an account number are shown without `pii`. */
export const maskAccount = (s: string): string =>
  s.length > 4 ? `${'*'.repeat(s.length - 4)}${s.slice(-4)}` : '****';

const ACCOUNT = /^\d{12,30}$/;
const MOBILE = /^1[3-9]\d{9}$/;
const NAME = /^[^\p{Cc}]{1,40}$/u;
const BANK = /^[^\p{Cc}]{1,60}$/u;

const detail = (path: string, zh: string, en: string, hintZh: string, hintEn: string): ErrorDetail => ({
  path,
  code: 'NX_ERR_PAYMENTS_CARD_ACCOUNT_INVALID',
  message: { 'zh-CN': zh, en },
  hint: { 'zh-CN': hintZh, en: hintEn },
});

/** Every problem of the rows, located (`/body/rows/<i>/<field>`); empty when all are valid. */
export function cardAccountProblems(rows: readonly CardAccountInput[], today: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const at = (f: string) => `/body/rows/${i}/${f}`;
    const id = normaliseIdNumber(r.idNumber);
    if (!parseIdcard(id, today).ok)
      out.push(
        detail(
          at('idNumber'),
          '身份证号无效',
          'Invalid ID number',
          '18 位，末位校验码正确',
          '18 characters with a valid check character',
        ),
      );
    else if (seen.has(id))
      out.push(
        detail(
          at('idNumber'),
          `与第 ${(seen.get(id) ?? 0) + 1} 行重复`,
          `Same ID number as row ${(seen.get(id) ?? 0) + 1}`,
          '每人一行',
          'One row per person',
        ),
      );
    seen.set(id, i);
    if (!ACCOUNT.test(r.accountNumber))
      out.push(
        detail(
          at('accountNumber'),
          '社保卡账号应为 12–30 位数字',
          'The card account is 12–30 digits',
          '去掉空格和横线',
          'Remove spaces and dashes',
        ),
      );
    if (!NAME.test(r.holderName.trim()))
      out.push(
        detail(
          at('holderName'),
          '持卡人姓名为空或过长',
          'Holder name empty or too long',
          '1–40 个字符',
          '1–40 characters',
        ),
      );
    if (!BANK.test(r.bankName.trim()))
      out.push(
        detail(
          at('bankName'),
          '开户银行为空或过长',
          'Bank name empty or too long',
          '1–60 个字符',
          '1–60 characters',
        ),
      );
    if (r.phone !== undefined && r.phone !== '' && !MOBILE.test(r.phone))
      out.push(
        detail(
          at('phone'),
          '预留手机号应为 11 位手机号码',
          'The phone is an 11-digit mobile number',
          '留空则不发短信',
          'Leave it empty to send no text',
        ),
      );
  });
  return out;
}

export interface ImportResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Creates or updates the accounts (all or none), each change audited with its before and after. */
export async function importCardAccounts(
  db: Kysely<Database>,
  p: Principal,
  rows: readonly CardAccountInput[],
  now: string,
): Promise<ImportResult> {
  const problems = cardAccountProblems(rows, todayInChina(Date.parse(now)));
  if (problems.length > 0)
    throw paymentsError('NX_ERR_PAYMENTS_CARD_ACCOUNT_INVALID', undefined, problems.slice(0, 100));
  return writeTransaction(db, async (trx) => {
    const pdb = paymentsDb(trx);
    const units = new Map<string, string>();
    const unitPath = async (code: string) => {
      if (!units.has(code)) {
        const u = await getOrgUnit(trx, code);
        units.set(code, u?.path ?? '');
      }
      return units.get(code) as string;
    };
    const ids = rows.map((r) => normaliseIdNumber(r.idNumber));
    const existing = new Map<string, CardAccountTable>();
    for (let i = 0; i < ids.length; i += 500)
      for (const r of await pdb
        .selectFrom('card_accounts')
        .selectAll()
        .where('id_number', 'in', ids.slice(i, i + 500))
        .execute())
        existing.set(r.id_number, r);
    const problems2: ErrorDetail[] = [];
    const planned: { row: CardAccountTable; before: CardAccountTable | undefined }[] = [];
    for (const [i, r] of rows.entries()) {
      const orgCode = r.orgCode ?? p.orgCode;
      const path = await unitPath(orgCode);
      if (!path.startsWith(p.orgPath)) {
        problems2.push(
          detail(
            `/body/rows/${i}/orgCode`,
            '单位不在您的辖区内',
            'The unit is not in your area',
            '填写本县的单位代码或留空',
            'Use a unit of your county or leave it empty',
          ),
        );
        continue;
      }
      const id = ids[i] as string;
      const before = existing.get(id);
      if (before && !before.org_path.startsWith(p.orgPath)) {
        problems2.push(
          detail(
            `/body/rows/${i}/idNumber`,
            '该账户由其他县人社部门维护',
            'Another county maintains this account',
            '请该县办理，或先办理迁移',
            'Ask that county, or transfer it first',
          ),
        );
        continue;
      }
      planned.push({
        before,
        row: {
          id_number: id,
          account_number: r.accountNumber,
          bank_name: r.bankName.trim(),
          holder_name: r.holderName.trim(),
          phone: r.phone ? r.phone : null,
          org_code: orgCode,
          org_path: path,
          version: (before?.version ?? 0) + 1,
          updated_at: now,
          updated_by: p.username,
        },
      });
    }
    if (problems2.length > 0)
      throw paymentsError('NX_ERR_PAYMENTS_CARD_ACCOUNT_INVALID', undefined, problems2.slice(0, 100));
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const { row, before } of planned) {
      const fields = (r: CardAccountTable) => ({
        accountNumber: r.account_number,
        bankName: r.bank_name,
        holderName: r.holder_name,
        phone: r.phone,
        orgCode: r.org_code,
      });
      if (before && JSON.stringify(fields(before)) === JSON.stringify(fields(row))) {
        unchanged++;
        continue;
      }
      if (before) {
        await pdb.updateTable('card_accounts').set(row).where('id_number', '=', row.id_number).execute();
        updated++;
      } else {
        await pdb.insertInto('card_accounts').values(row).execute();
        created++;
      }
      await writeAudit(trx, {
        actor: p.username,
        action: before ? 'payments.card_account.update' : 'payments.card_account.create',
        entityType: 'card_account',
        entityId: row.id_number,
        orgPath: row.org_path,
        before: before ? fields(before) : null,
        after: fields(row),
        at: now,
      });
    }
    return { created, updated, unchanged };
  });
}

const view = (r: CardAccountTable, pii: boolean): CardAccountView => ({
  idNumber: pii ? r.id_number : maskIdNumber(r.id_number),
  accountNumber: pii ? r.account_number : maskAccount(r.account_number),
  bankName: r.bank_name,
  holderName: r.holder_name,
  phone: r.phone === null ? null : pii ? r.phone : maskPhone(r.phone),
  orgCode: r.org_code,
  version: r.version,
  updatedAt: r.updated_at,
});

/** The accounts of a subtree, by ID number, key-set paged. */
export async function listCardAccounts(
  db: Kysely<Database>,
  reader: { readonly orgPath: string; readonly pii: boolean },
  q: { readonly after?: string | undefined; readonly limit?: number | undefined },
): Promise<{ items: CardAccountView[]; next: string | null }> {
  const limit = q.limit ?? 100;
  let sel = paymentsDb(db)
    .selectFrom('card_accounts')
    .selectAll()
    .where('org_path', 'like', `${reader.orgPath}%`);
  if (q.after) sel = sel.where('id_number', '>', q.after);
  const rows = await sel.orderBy('id_number').limit(limit).execute();
  // The cursor is an ID number: without pii it would leak one, so no cursor is given then.
  const last = rows.at(-1);
  return {
    items: rows.map((r) => view(r, reader.pii)),
    next: rows.length === limit && last && reader.pii ? last.id_number : null,
  };
}
