import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../demo/load-demo.ts';
import { DEMO_PASSWORD } from '../../../demo/users.ts';
import { buildApp } from '../../../engine/server/app.ts';
import { createDatabase } from '../../../engine/store/database.ts';
import { migrateToLatest } from '../../../engine/store/migrate.ts';
import { csvCell } from '../../factories/csv-cell.ts';
import { HOUSEHOLD_AS_OF, makeHouseholds } from '../../factories/household.ts';
import { ROOT } from '../run-cli.ts';

const VILLAGE = '511923102201';
const ROWS = 600;

/**
 * `nuanxin import` into the SQLite file a running server writes to: the import takes the write
 * lock before it reads (no SQLITE_BUSY_SNAPSHOT when the server commits in between), waits for
 * the server's transactions and lets go between its own, so both finish with everything stored.
 */
describe('nuanxin import against a live server on the same SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-live-'));
  const file = join(dir, 'live.db');
  const csvFile = join(dir, 'households.csv');
  const db = createDatabase(file);
  let app: Awaited<ReturnType<typeof buildApp>>;
  let token = '';
  beforeAll(async () => {
    await migrateToLatest(db);
    await loadDemo(db);
    app = await buildApp({ db });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'baiyicun.staff', password: DEMO_PASSWORD },
    });
    token = (login.json() as { token: string }).token;
    const rows = makeHouseholds(ROWS, 5) as unknown as Record<string, unknown>[];
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    writeFileSync(
      csvFile,
      [header.join(','), ...rows.map((r) => header.map((k) => csvCell(r[k])).join(','))].join('\n'),
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every row while the server goes on answering, and the server loses nothing', async () => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'cli', 'bin.mjs'),
        'import',
        'household-survey',
        csvFile,
        '--db',
        file,
        '--org',
        VILLAGE,
        '--status',
        'draft',
        '--today',
        HOUSEHOLD_AS_OF,
        '--batch',
        '50',
      ],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    let done = false;
    void exited.then(() => {
      done = true;
    });
    const statuses: number[] = [];
    const started = Date.now();
    // The server keeps taking drafts for as long as the import runs (bounded to a minute).
    while (!done && Date.now() - started < 60_000) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/forms/household-survey/submissions',
        headers: { authorization: `Bearer ${token}` },
        payload: { data: { headName: `并发${statuses.length}` }, status: 'draft' },
      });
      statuses.push(r.statusCode);
    }
    const code = await exited;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(out).toContain('rejected 0');
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    const count = async (createdBy: string) =>
      Number(
        (
          await db
            .selectFrom('submissions')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('created_by', '=', createdBy)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('import')).toBe(ROWS);
    expect(await count('baiyicun.staff')).toBe(statuses.length);
  }, 120_000);
});
