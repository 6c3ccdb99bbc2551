import type { Text } from '../../engine/entry/plugin.ts';
import type { PaymentBatchTable, PaymentLineTable } from './tables.ts';

/**
 * The bank file (代发文件): one row per exported line (blocked lines are not in it), a header
 * row first and a totals row last. The layout is declared here once and documented column by
 * column in docs/payments.md; the CSV and XLSX files carry the same cells.
 */

export const TYPE_LABELS: Readonly<Record<string, Text>> = {
  dibao: { 'zh-CN': '低保', en: 'Minimum living guarantee' },
  tekun: { 'zh-CN': '特困', en: 'Extreme poverty support' },
  linshi: { 'zh-CN': '临时救助', en: 'Temporary assistance' },
};

/** Yuan with two decimals from integer cents (never through floating point). */
export function yuan(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export type BankCell = string | number;

export interface BankColumn {
  readonly id: string;
  readonly header: string;
  /** text columns are written as text in XLSX (an ID or account number must not become 5.1e17). */
  readonly kind: 'text' | 'integer' | 'money';
  readonly value: (l: PaymentLineTable, b: PaymentBatchTable) => BankCell;
}

export const BANK_FILE_COLUMNS: readonly BankColumn[] = [
  { id: 'batchId', header: '批次号', kind: 'text', value: (_l, b) => b.id },
  { id: 'lineNo', header: '行号', kind: 'integer', value: (l) => l.line_no },
  { id: 'name', header: '姓名', kind: 'text', value: (l) => l.head_name },
  { id: 'idNumber', header: '身份证号码', kind: 'text', value: (l) => l.id_number },
  { id: 'accountNumber', header: '社会保障卡账号', kind: 'text', value: (l) => l.account_number ?? '' },
  { id: 'amount', header: '金额（元）', kind: 'money', value: (l) => yuan(l.amount_cents) },
  { id: 'type', header: '救助类别', kind: 'text', value: (l) => TYPE_LABELS[l.type]?.['zh-CN'] ?? l.type },
  { id: 'month', header: '所属月份', kind: 'text', value: (l) => l.month },
  { id: 'county', header: '县（市、区）代码', kind: 'text', value: (_l, b) => b.org_code },
];

/** The totals row: 合计 in the first column, the line count under 行号, the sum under 金额. */
export function totalsRow(lines: readonly PaymentLineTable[]): BankCell[] {
  const cents = lines.reduce((s, l) => s + l.amount_cents, 0);
  return BANK_FILE_COLUMNS.map((c) =>
    c.id === 'batchId' ? '合计' : c.id === 'lineNo' ? lines.length : c.id === 'amount' ? yuan(cents) : '',
  );
}

/** UTF-8 byte order mark: without it a spreadsheet opens Chinese text as mojibake. */
const BOM = '\uFEFF';

/**
 * One CSV field (RFC 4180), formula-injection safe: text starting with = + - @ or a tab/CR gets
 * a leading `'`, so a spreadsheet shows it instead of running it. Money is written as text
 * digits (two decimals), never negative.
 */
export function csvField(v: BankCell): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const csvLine = (cells: readonly BankCell[]) => `${cells.map(csvField).join(',')}\r\n`;

export function bankFileCsv(b: PaymentBatchTable, lines: readonly PaymentLineTable[]): string {
  let out = BOM + csvLine(BANK_FILE_COLUMNS.map((c) => c.header));
  for (const l of lines) out += csvLine(BANK_FILE_COLUMNS.map((c) => c.value(l, b)));
  return out + csvLine(totalsRow(lines));
}

/** The same rows in an XLSX workbook (one sheet named after the batch's county and month). */
export async function bankFileXlsx(
  b: PaymentBatchTable,
  lines: readonly PaymentLineTable[],
): Promise<Buffer> {
  // exceljs is loaded when an XLSX is asked for: it is slow to load and most banks take CSV.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${b.org_code}-${b.month}`);
  ws.addRow(BANK_FILE_COLUMNS.map((c) => c.header));
  const put = (cells: readonly BankCell[]) => {
    const row = ws.addRow([]);
    BANK_FILE_COLUMNS.forEach((c, i) => {
      const v = cells[i] ?? '';
      const cell = row.getCell(i + 1);
      // Strings are stored as strings: exceljs writes a formula only when given { formula }, so a
      // name such as "=1+1" stays text. Money is a number with two decimals shown.
      if (c.kind === 'money' && v !== '') {
        cell.value = Number(v);
        cell.numFmt = '0.00';
      } else cell.value = v;
    });
  };
  for (const l of lines) put(BANK_FILE_COLUMNS.map((c) => c.value(l, b)));
  put(totalsRow(lines));
  ws.getRow(1).font = { bold: true };
  ws.getRow(lines.length + 2).font = { bold: true };
  BANK_FILE_COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.kind === 'text' ? 22 : 12;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
