import ExcelJS from 'exceljs';
import type { HouseholdData } from '../factories/household.ts';

/** Every ID number and phone a household carries (head, members), to look for in responses. */
export function householdIdentifiers(h: HouseholdData): string[] {
  const out = [h.headIdNumber];
  if (h.phone) out.push(h.phone);
  for (const m of h.members) if (m.idNumber) out.push(m.idNumber);
  return out;
}

/** The seeded identifiers that appear whole in `text`. */
export const leakedIn = (text: string, identifiers: Iterable<string>): string[] =>
  [...identifiers].filter((id) => text.includes(id));

/** What a user reads in a response: its text, or every cell of a workbook. */
export async function readableBody(body: Buffer, contentType: string | undefined): Promise<string> {
  if (!contentType?.includes('spreadsheetml')) return body.toString('utf8');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        cells.push(String(cell.text ?? ''));
      }),
    ),
  );
  return cells.join('\n');
}
