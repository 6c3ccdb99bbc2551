import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportSummary, importFile } from '../../../cli/import/import-file.ts';
import { RowReader } from '../../../cli/import/row-data.ts';
import { diffSnapshots } from '../../../engine/audit/audit.ts';
import { submissionCreatedEntry } from '../../../engine/audit/submission-audit.ts';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { publishDraft, saveDraft } from '../../../engine/forms/form-store.ts';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { createDatabase } from '../../../engine/store/database.ts';
import { migrateToLatest } from '../../../engine/store/migrate.ts';
import type { Database } from '../../../engine/store/schema.ts';
import { csvCell } from '../../factories/csv-cell.ts';
import { HOUSEHOLD_AS_OF, makeHouseholds } from '../../factories/household.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nuanxin-import-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 400 generated households, every 7th with a mistake, and one row repeated. */
function writeHouseholds(file: string): void {
  const rows = makeHouseholds(400, 5) as unknown as Record<string, unknown>[];
  rows.forEach((r, i) => {
    if (i % 7 === 3) r.householdSize = 99;
  });
  rows.push(rows[11] as Record<string, unknown>);
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  writeFileSync(
    file,
    `${[header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h])).join(','))].join('\n')}\n`,
  );
}

async function freshDatabase(name: string): Promise<Kysely<Database>> {
  const db = createDatabase(join(dir, name));
  await migrateToLatest(db);
  await importOrgUnits(db, [
    { code: '510000', name: '四川省', parent: null, level: 'province' },
    { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
  ] as never);
  const form = loadForm(JSON.parse(readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8')));
  if (!form.ok) throw new Error('household-survey does not load');
  await saveDraft(db, form.value, 'test');
  await publishDraft(db, form.value.id, 'test');
  return db;
}

async function stored(db: Kysely<Database>) {
  const subs = await db.selectFrom('submissions').select(['id', 'data', 'status']).orderBy('id').execute();
  const audit = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'diff'])
    .where('entity_type', '=', 'submission')
    .orderBy('entity_id')
    .execute();
  return { subs, audit };
}

describe('importFile', () => {
  const csv = join(dir, 'households.csv');
  const runs: { summary: ImportSummary; rows: Awaited<ReturnType<typeof stored>> }[] = [];
  const dbs: Kysely<Database>[] = [];

  beforeAll(async () => {
    writeHouseholds(csv);
    for (const [i, thread] of [false, true].entries()) {
      const db = await freshDatabase(`run-${i}.db`);
      dbs.push(db);
      const summary = await importFile({
        db,
        formId: 'household-survey',
        file: csv,
        orgCode: '511900',
        today: HOUSEHOLD_AS_OF,
        batchSize: 64,
        thread,
      });
      runs.push({ summary, rows: await stored(db) });
    }
  }, 60_000);
  afterAll(async () => {
    for (const db of dbs) await db.destroy();
  });

  it('validates in a second thread with exactly the results of validating in this one', () => {
    const [inline, threaded] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(inline.summary.rows).toBe(401);
    expect(inline.summary.rejected).toBe(57); // i = 3, 10, …, 395
    expect(inline.summary.skipped).toBe(1);
    expect(inline.summary.imported).toBe(401 - 57 - 1);
    expect(threaded.summary).toEqual(inline.summary);
    expect(threaded.rows.subs).toEqual(inline.rows.subs);
    expect(threaded.rows.audit.map((a) => a.entity_id)).toEqual(inline.rows.audit.map((a) => a.entity_id));
  });

  it('writes each audit entry as writeAudit would: the created submission in full', () => {
    const [inline] = runs as [(typeof runs)[0]];
    const data = new Map(inline.rows.subs.map((s) => [s.id, s.data]));
    for (const a of inline.rows.audit) {
      expect(JSON.parse(a.diff)).toEqual({
        before: null,
        after: {
          status: 'submitted',
          version: 1,
          period: null,
          data: JSON.parse(data.get(a.entity_id) as string),
        },
      });
    }
    const row = {
      id: 'x',
      status: 'draft',
      version: 1,
      period: null,
      org_path: '/510000/',
      data: JSON.stringify({ a: '"引号"', b: [1] }),
    };
    const entry = submissionCreatedEntry('import', row, '2021-06-01T00:00:00.000Z');
    expect(entry.diffJson).toBe(
      JSON.stringify(
        diffSnapshots(null, { status: 'draft', version: 1, period: null, data: JSON.parse(row.data) }),
      ),
    );
  });

  it('puts the SQLite page cache and checkpoint interval back when it is done', async () => {
    const db = dbs[0] as Kysely<Database>;
    const read = async (p: string) =>
      Object.values((await sql.raw(`PRAGMA ${p}`).execute(db)).rows[0] as object)[0];
    const before = [await read('cache_size'), await read('wal_autocheckpoint')];
    await importFile({
      db,
      formId: 'household-survey',
      file: csv,
      orgCode: '511900',
      today: HOUSEHOLD_AS_OF,
    });
    expect([await read('cache_size'), await read('wal_autocheckpoint')]).toEqual(before);
  });

  it('compiles the form with the configured plugins in the thread, and reports a thread that fails', async () => {
    const db = await freshDatabase('plugins.db');
    try {
      const ok = await importFile({
        db,
        formId: 'household-survey',
        file: csv,
        orgCode: '511900',
        today: HOUSEHOLD_AS_OF,
        thread: true,
        pluginConfig: join(ROOT, 'nuanxin.config.json'),
      });
      expect(ok.imported).toBe((runs[0] as (typeof runs)[0]).summary.imported);
      const fresh = await freshDatabase('failing.db');
      await expect(
        importFile({
          db: fresh,
          formId: 'household-survey',
          file: csv,
          orgCode: '511900',
          thread: true,
          pluginConfig: join(dir, 'no-such-config.json'),
        }),
      ).rejects.toThrow(/import worker.*no-such-config/s);
      expect((await stored(fresh)).subs).toHaveLength(0);
      await fresh.destroy();
    } finally {
      await db.destroy();
    }
  }, 60_000);
});

describe('RowReader', () => {
  it('derives the same ids as every earlier import: SHA-256 of [form, unit, header, cells]', () => {
    const header = ['headName', 'members', 'x'];
    const cells = ['张三', '[{"name":"李四"}]', null];
    const h = createHash('sha256')
      .update(JSON.stringify(['household-survey', '511900', header, cells]))
      .digest('hex');
    const expected = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    expect(new RowReader('household-survey', '511900', header, new Map()).id(cells)).toBe(expected);
  });

  it('turns cells into data: blanks and unknown columns left out, tables as JSON, tick boxes split', () => {
    const types = new Map([
      ['name', 'text'],
      ['phone', 'phone'],
      ['members', 'table'],
      ['causes', 'multiselect'],
      ['size', 'integer'],
    ]);
    const r = new RowReader('f', 'o', ['name', 'phone', 'members', 'causes', 'size', 'other'], types);
    expect(r.data(['张三', 13800000000, '[{"a":1}]', 'illness、disaster; other', '', 'x'])).toEqual({
      name: '张三',
      phone: '13800000000',
      members: [{ a: 1 }],
      causes: ['illness', 'disaster', 'other'],
    });
    // A broken table cell goes to the runtime as text, which reports it.
    expect(r.data([null, null, '[{"a":', null, 3, null])).toEqual({ members: '[{"a":', size: 3 });
  });
});
