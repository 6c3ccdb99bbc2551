import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const url = '/api/forms/test-household/submissions';

/** A logger stream that keeps every line, so a test can read what an operator would see. */
function logSink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

/**
 * Makes every later write fail the way a full disk does. SQLite: the file may not grow past its
 * current size (`max_page_count`), so the next page a write needs fails with SQLITE_FULL.
 * PostgreSQL: a trigger raises SQLSTATE 53100 (disk_full) on each new submission.
 */
async function fillTheDisk(t: TestDatabase): Promise<void> {
  if (t.dialect === 'sqlite') {
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(t.db);
    await sql.raw(`pragma max_page_count = ${rows[0]?.page_count}`).execute(t.db);
    return;
  }
  await sql`create function nx_test_disk_full() returns trigger language plpgsql as $$
    begin raise exception 'could not extend file: No space left on device' using errcode = '53100'; end $$`.execute(
    t.db,
  );
  await sql`create trigger nx_test_disk_full before insert on submissions
    for each row execute function nx_test_disk_full()`.execute(t.db);
}

describe.each(dialects())('a write the database cannot take, on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const log = logSink();
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t, { logger: { level: 'warn', stream: log.stream } as never });
    await a.token('villageStaff'); // logged in before the disk fills
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  it('answers 503 NX_ERR_STORE_UNAVAILABLE with Retry-After, stores nothing, and logs the real cause', async () => {
    await fillTheDisk(t);
    const before = await t.db
      .selectFrom('submissions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    let failed: Awaited<ReturnType<TestApp['call']>> | undefined;
    // SQLite fills the last free space of its pages first: write until a page is needed.
    for (let i = 0; i < 500 && !failed; i++) {
      const r = await a.call('villageStaff', 'POST', url, { data: { headName: `户${i}` } });
      if (r.statusCode !== 201) failed = r;
    }
    expect(failed?.statusCode).toBe(503);
    expect(failed?.headers['retry-after']).toBe('30');
    const body = failed?.json() as { code: string; message: { 'zh-CN': string; en: string } };
    expect(body.code).toBe('NX_ERR_STORE_UNAVAILABLE');
    expect(body.message['zh-CN']).toContain('磁盘已满');
    expect(body.message.en).toContain('disk full');

    const text = log.lines.join('\n');
    expect(text).toContain(dialect.name === 'sqlite' ? 'SQLITE_FULL' : '53100');
    expect(text).not.toContain('cannot rollback');
    // The one failed request left nothing behind: what is stored is exactly the 201 answers.
    const after = await t.db
      .selectFrom('submissions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const audits = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('entity_type', '=', 'submission')
      .executeTakeFirst();
    expect(Number(audits?.n)).toBe(Number(after?.n));
    expect(Number(after?.n)).toBeGreaterThanOrEqual(Number(before?.n));
  });

  it('still answers reads while writes fail', async () => {
    const r = await a.call('villageStaff', 'GET', '/api/me');
    expect(r.statusCode).toBe(200);
  });
});
