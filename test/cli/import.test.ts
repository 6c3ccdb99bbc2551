import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_CHUNK_BYTES, csvRecords } from '../../cli/import/csv-records.ts';
import type { FormDefinition } from '../../engine/definition/form-schema.ts';
import { loadForm } from '../../engine/definition/load-form.ts';
import { publishDraft, saveDraft } from '../../engine/forms/form-store.ts';
import { importOrgUnits } from '../../engine/org/import.ts';
import { compileForm } from '../../engine/runtime/compile-form.ts';
import { createDatabase } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import type { Database } from '../../engine/store/schema.ts';
import { HOUSEHOLD_AS_OF, makeHouseholds } from '../factories/household.ts';
import { ROOT } from './run-cli.ts';
import { runMain } from './run-main.ts';

const dir = mkdtempSync(join(tmpdir(), 'nuanxin-import-'));
const dbFile = join(dir, 'import.db');
let db: Kysely<Database>;
const formJson = JSON.parse(readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8')) as unknown;

/** 24 households; rows 6, 11 and 16 of the data get one mistake each, row 20 a broken table cell. */
function households(): Record<string, unknown>[] {
  const all = makeHouseholds(24, 42) as unknown as Record<string, unknown>[];
  (all[4] as Record<string, unknown>).householdSize = 99;
  (all[9] as Record<string, unknown>).phone = '12345';
  (all[14] as Record<string, unknown>).headAnnualIncome = -5;
  // A comma, a quote and a line break inside one cell: the CSV reader must keep it one value.
  (all[2] as Record<string, unknown>).requests = '希望解决"住房"问题,\n以及医疗报销';
  return all;
}

const cellOf = (v: unknown): string | number | boolean =>
  v === undefined || v === null
    ? ''
    : Array.isArray(v)
      ? v.every((x) => typeof x === 'string')
        ? v.join(',')
        : JSON.stringify(v)
      : (v as string | number | boolean);

function table(rows: Record<string, unknown>[]): {
  header: string[];
  cells: (string | number | boolean)[][];
} {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { header, cells: rows.map((r) => header.map((k) => cellOf(r[k]))) };
}

function writeCsv(file: string, rows: Record<string, unknown>[], broken?: number): void {
  const { header, cells } = table(rows);
  const q = (s: string | number | boolean) => {
    const t = String(s);
    return /[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  const lines = cells.map((c, i) => {
    const out = c.map(q);
    if (i === broken) out[header.indexOf('members')] = q('[{"name": 张三');
    return out.join(',');
  });
  writeFileSync(file, `${[header.join(','), ...lines].join('\r\n')}\r\n`);
}

async function count(table: 'submissions' | 'audit_log', formId?: string): Promise<number> {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (table === 'submissions' && formId) q = q.where('form_id', '=', formId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  db = createDatabase(dbFile);
  await migrateToLatest(db);
  await importOrgUnits(db, [
    { code: '510000', name: '四川省', parent: null, level: 'province' },
    { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
  ] as never);
  const form = loadForm(formJson);
  if (!form.ok) throw new Error('household-survey does not load');
  await saveDraft(db, form.value, 'test');
  await publishDraft(db, form.value.id, 'test');
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('nuanxin import', () => {
  const rows = households();
  const csv = join(dir, 'households.csv');
  const errors = join(dir, 'errors.csv');
  // What the runtime itself says of each row decides which rows must be stored.
  const compiled = compileForm(formJson as FormDefinition);
  const broken = 19;
  const expectValid = rows.filter(
    (r, i) => i !== broken && compiled.validate(r, { today: HOUSEHOLD_AS_OF }).ok,
  ).length;

  it('stores the valid rows with an audit entry each and reports every rejected row, field and reason', async () => {
    writeCsv(csv, rows, broken);
    const args = ['import', 'household-survey', csv, '--db', dbFile, '--org', '511900'];
    const r = await runMain([...args, '--today', HOUSEHOLD_AS_OF, '--errors', errors]);
    expect(expectValid).toBe(20);
    expect(r.stdout).toContain(`imported ${expectValid}, skipped 0 already imported, rejected 4 of 24 rows`);
    expect(r.code).toBe(1);
    expect(await count('submissions', 'household-survey')).toBe(expectValid);
    const audits = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'action', 'actor'])
      .where('entity_type', '=', 'submission')
      .execute();
    expect(audits).toHaveLength(expectValid);
    expect(new Set(audits.map((a) => a.action))).toEqual(new Set(['submission.create']));

    const report = readFileSync(errors, 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(report[0]).toContain('field');
    const byRow = new Map<string, string[]>();
    for (const line of report.slice(1)) {
      const [row, field, code] = line.split(',');
      byRow.set(row as string, [...(byRow.get(row as string) ?? []), `${field} ${code}`]);
    }
    // Spreadsheet rows: the header is row 1, so data index i is row i + 2.
    expect([...byRow.keys()].sort()).toEqual(['11', '16', '21', '6']);
    expect(byRow.get('6')?.join()).toContain('/householdSize');
    expect(byRow.get('11')?.join()).toContain('/phone');
    expect(byRow.get('16')?.join()).toContain('/headAnnualIncome NX_ERR_VALUE_MIN');
    expect(byRow.get('21')?.join()).toContain('/members NX_ERR_VALUE_TYPE');
    expect(report.some((l) => /[\u4e00-\u9fff]/.test(l) && /[a-z]{4}/.test(l))).toBe(true);
  });

  it('stores what the runtime computes, and keeps a quoted multi-line cell whole', async () => {
    const stored = await db.selectFrom('submissions').select(['data', 'status', 'org_code']).execute();
    const datas = stored.map((s) => JSON.parse(s.data) as Record<string, unknown>);
    const third = datas.find((d) => d.headIdNumber === rows[2]?.headIdNumber);
    expect(third?.requests).toBe(rows[2]?.requests);
    const expected = compiled.validate(rows[0], { today: HOUSEHOLD_AS_OF }).data;
    const first = datas.find((d) => d.headIdNumber === rows[0]?.headIdNumber);
    expect(first).toEqual(expected);
    expect(new Set(stored.map((s) => `${s.status}@${s.org_code}`))).toEqual(new Set(['submitted@511900']));
  });

  it('a re-run of the same file stores nothing twice: rows already imported are skipped', async () => {
    const before = await count('submissions');
    const r = await runMain([
      'import',
      'household-survey',
      csv,
      '--db',
      dbFile,
      '--org',
      '511900',
      '--today',
      HOUSEHOLD_AS_OF,
      '--errors',
      errors,
    ]);
    expect(r.stdout).toContain(`imported 0, skipped ${expectValid} already imported, rejected 4`);
    expect(await count('submissions')).toBe(before);
  });

  it('reads XLSX through the streaming reader, numbers kept as text where the field is text', async () => {
    const some = makeHouseholds(6, 77) as unknown as Record<string, unknown>[];
    (some[1] as Record<string, unknown>).surveyDate = '2030-01-01';
    const { header, cells } = table(some);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('households');
    ws.addRow(header);
    for (const c of cells) {
      // A phone typed into Excel becomes a number cell; the importer must read it back as text.
      ws.addRow(
        c.map((v, i) => (header[i] === 'phone' && typeof v === 'string' && v !== '' ? Number(v) : v)),
      );
    }
    const xlsx = join(dir, 'households.xlsx');
    await wb.xlsx.writeFile(xlsx);
    const before = await count('submissions');
    const r = await runMain([
      'import',
      'household-survey',
      xlsx,
      '--db',
      dbFile,
      '--org',
      '510000',
      '--today',
      HOUSEHOLD_AS_OF,
    ]);
    expect(r.stdout).toContain('imported 5, skipped 0 already imported, rejected 1 of 6 rows');
    expect(await count('submissions')).toBe(before + 5);
    const report = readFileSync(`${xlsx}.errors.csv`, 'utf8');
    expect(report).toMatch(/\n3,\/surveyDate,/);
  });

  it('imports a row that spans a chunk boundary of the reader', async () => {
    const [h] = makeHouseholds(1, 9) as unknown as Record<string, unknown>[];
    const { header, cells } = table([h as Record<string, unknown>]);
    const q = (v: string | number | boolean) => {
      const t = String(v);
      return /[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
    };
    const rest = (cells[0] as (string | number | boolean)[]).map(q).join(',');
    // An ignored first column padded so that its doubled quote starts on the chunk's last byte.
    const head = `pad,${header.join(',')}\n"`;
    const pad = 'a'.repeat(CSV_CHUNK_BYTES - 1 - Buffer.byteLength(head));
    const file = join(dir, 'boundary.csv');
    writeFileSync(file, `${head}${pad}""b",${rest}\n`);
    const before = await count('submissions');
    const r = await runMain([
      'import',
      'household-survey',
      file,
      '--db',
      dbFile,
      '--org',
      '510000',
      '--today',
      HOUSEHOLD_AS_OF,
    ]);
    expect(r.stdout).toContain('imported 1, skipped 0 already imported, rejected 0 of 1 rows');
    expect(await count('submissions')).toBe(before + 1);
  });

  it('reads cells whole across chunk boundaries: a doubled quote, a Chinese character', async () => {
    const quoteFile = join(dir, 'quote.csv');
    const head = 'a,b\n"';
    const pad = 'x'.repeat(CSV_CHUNK_BYTES - 1 - head.length);
    writeFileSync(quoteFile, `${head}${pad}""y",z\n`);
    const rows: unknown[][] = [];
    for await (const r of csvRecords(quoteFile)) rows.push(r);
    expect(rows[1]).toEqual([`${pad}"y`, 'z']);

    const charFile = join(dir, 'char.csv');
    // 暖 is three bytes in UTF-8: its first byte is the chunk's last.
    const prefix = 'a,b\n';
    const filler = 'x'.repeat(CSV_CHUNK_BYTES - 1 - prefix.length);
    writeFileSync(charFile, `${prefix}${filler}暖心,z\n`);
    const rows2: unknown[][] = [];
    for await (const r of csvRecords(charFile)) rows2.push(r);
    expect(rows2[1]).toEqual([`${filler}暖心`, 'z']);
  });

  it('refuses an unknown form or unit without storing anything', async () => {
    const before = await count('submissions');
    const r = await runMain(['import', 'no-such-form', csv, '--db', dbFile, '--org', '511900']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no-such-form');
    const r2 = await runMain(['import', 'household-survey', csv, '--db', dbFile, '--org', '999999']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('999999');
    expect(await count('submissions')).toBe(before);
  });
});
