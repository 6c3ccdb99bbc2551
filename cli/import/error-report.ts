import { createWriteStream } from 'node:fs';
import type { Text } from '../../engine/i18n.ts';

/** One rejected value of one row, as the error report lists it. */
export interface RowError {
  /** Spreadsheet row number: the header is row 1, the first data row is row 2. */
  row: number;
  /** JSON pointer of the field (`/members/0/idNumber`), or '' for the whole row. */
  field: string;
  code: string;
  message: Text;
}

const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** The error report: one line per rejected value (row, field, code, zh-CN, en), UTF-8 with a BOM for Excel. */
export async function writeErrorReport(file: string, errors: readonly RowError[]): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write('\ufeff行号 row,字段 field,代码 code,说明 message (zh-CN),message (en)\n');
  for (const e of errors) {
    await write(
      `${[String(e.row), e.field, e.code, e.message['zh-CN'], e.message.en].map(csvCell).join(',')}\n`,
    );
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}
