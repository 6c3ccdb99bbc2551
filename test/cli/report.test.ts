import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest } from '../../engine/entry/server.ts';
import { insertSubmission, seedOrgUnits, visitData } from '../plugins/report/seed-data.ts';
import { runCli } from './run-cli.ts';

describe('nuanxin report', () => {
  let dir: string;
  let dbFile: string;
  const data = visitData('511900', '2021-06-03', ['511902', '511923'], 8);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nx-report-cli-'));
    dbFile = join(dir, 'nx.db');
    const db = createDatabase(dbFile);
    await migrateToLatest(db);
    await seedOrgUnits(db);
    await insertSubmission(db, {
      formId: 'visit-statistics',
      orgCode: '511900',
      data,
      createdAt: '2021-06-01T00:00:00.000Z',
    });
    await db.destroy();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the province’s 附件1 table as CSV with the BOM and the total', () => {
    const out = join(dir, 'v.csv');
    const r = runCli([
      'report',
      'visit-statistics',
      '--period',
      '2021-06-03',
      '--format',
      'csv',
      '--out',
      out,
      '--db',
      dbFile,
    ]);
    expect(r.stderr).toContain('已写入');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const visits = data.rows.reduce((a, row) => a + (row.visits as number), 0);
    const total = text.split('\r\n').find((l) => l.startsWith('合计,'));
    expect(total?.split(',')[2]).toBe(String(visits));
  }, 60_000);

  it('lists the reports and fails clearly on an unknown one', () => {
    expect(runCli(['report', '--list']).stdout).toContain('low-income-roster');
    const bad = runCli(['report', 'nope', '--db', dbFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('NX_ERR_REPORT_NOT_FOUND');
  }, 60_000);
});
