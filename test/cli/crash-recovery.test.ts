import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { makeHouseholds } from '../factories/household.ts';
import { alive, freePort, ROOT, startServer, until } from '../helpers/processes.ts';

/** How many households are sent, and after how many acknowledged ones the server is killed. */
const TOTAL = 120;
const KILL_AFTER = 30;
const CONCURRENCY = 12;

/** Generated households (member ages follow their ID numbers as of each survey's date), submitted. */
function bodies(n: number): string[] {
  return makeHouseholds(n, 7).map((h) => JSON.stringify({ data: h, status: 'submitted' }));
}

/** `nuanxin start` on the file, as a user runs it; resolves with the process and its address. */
async function start(db: string): Promise<{ child: ChildProcess; url: string; token: string }> {
  const port = await freePort();
  const child = await startServer(
    process.execPath,
    // The basic demo (users and forms): the village's sample casework would add its own submissions.
    [join(ROOT, 'cli', 'bin.mjs'), 'start', '--db', db, '--port', String(port), '--demo', 'basic'],
    { NUANXIN_SCRYPT_LOG2N: '10', LOG_LEVEL: 'warn', DATABASE_URL: '' },
  );
  const url = `http://127.0.0.1:${port}`;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'baiyicun.staff', password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  return { child, url, token: ((await login.json()) as { token: string }).token };
}

/**
 * Sends every body with its own Idempotency-Key, `CONCURRENCY` at a time; `onAck` sees each 201.
 * A request whose connection dies (the server was killed) is simply not acknowledged.
 */
async function sendAll(
  server: { url: string; token: string },
  payloads: string[],
  onAck: (key: string, id: string) => void,
): Promise<{ statuses: number[] }> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= payloads.length) return;
      const key = `crash-test-${i}`;
      try {
        const r = await fetch(`${server.url}/api/forms/household-survey/submissions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${server.token}`,
            'idempotency-key': key,
          },
          body: payloads[i],
        });
        statuses.push(r.status);
        if (r.status === 201) onAck(key, ((await r.json()) as { id: string }).id);
      } catch {
        // connection lost: not acknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { statuses };
}

describe('kill -9 under concurrent idempotent submits (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-crash-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.pid && alive(c.pid)) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing acknowledged, stores nothing twice, and leaves a sound file', async () => {
    const db = join(dir, 'crash.db');
    const payloads = bodies(TOTAL);

    const first = await start(db);
    children.push(first.child);
    const before = new Map<string, string>();
    await sendAll(first, payloads, (key, id) => {
      before.set(key, id);
      if (before.size === KILL_AFTER) first.child.kill('SIGKILL'); // mid-way, requests in flight
    });
    expect(await until(() => !alive(first.child.pid as number), 10_000)).toBe(true);
    expect(before.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(before.size).toBeLessThan(TOTAL);

    // Restart on the same file and send everything again with the same keys.
    const second = await start(db);
    children.push(second.child);
    const after = new Map<string, string>();
    const { statuses } = await sendAll(second, payloads, (key, id) => after.set(key, id));
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await until(() => !alive(second.child.pid as number), 15_000)).toBe(true);

    // 0 lost: every answer given before the crash names the same, stored submission.
    for (const [key, id] of before) expect(after.get(key), key).toBe(id);
    const file = new SqliteDatabase(db, { readonly: true });
    try {
      const ids = (file.prepare('select id from submissions').all() as { id: string }[]).map((r) => r.id);
      // 0 duplicated: one submission per key, each with its audit entry (a survey starts no case).
      expect(ids.sort()).toEqual([...new Set(after.values())].sort());
      expect(ids).toHaveLength(TOTAL);
      const count = (q: string) => (file.prepare(q).get() as { n: number }).n;
      expect(
        count("select count(distinct entity_id) as n from audit_log where entity_type = 'submission'"),
      ).toBe(TOTAL);
      expect(count('select count(*) as n from workflow_instances')).toBe(0);
      expect(count('select count(*) as n from idempotency_keys')).toBe(TOTAL);
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      file.close();
    }
  }, 150_000);
});
