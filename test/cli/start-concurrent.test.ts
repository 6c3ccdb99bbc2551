import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../demo/users.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';
import { alive, freePort, ROOT, startServer, until } from '../helpers/processes.ts';

describe.each(dialects())('two `nuanxin start` at once on an empty database ($name)', (dialect) => {
  const children: ChildProcess[] = [];
  let t: TestDatabase | undefined;
  afterAll(async () => {
    for (const c of children) if (c.pid && alive(c.pid)) c.kill('SIGKILL');
    await t?.destroy();
  });

  it('both come up, and the demo is loaded once', async () => {
    t = await dialect.open(); // migrated, empty
    const ports = [await freePort(), await freePort()];
    const env = { NUANXIN_SCRYPT_LOG2N: '10', LOG_LEVEL: 'warn', DATABASE_URL: '' };
    const bin = join(ROOT, 'cli', 'bin.mjs');
    const url = t.url;
    const started = await Promise.allSettled(
      ports.map((port) =>
        startServer(process.execPath, [bin, 'start', '--db', url, '--port', String(port)], env).then((c) => {
          children.push(c);
          return c;
        }),
      ),
    );
    const failed = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(failed).toEqual([]);
    for (const c of children) c.kill('SIGTERM');
    expect(await until(() => children.every((c) => !alive(c.pid as number)), 15_000)).toBe(true);

    const db = t.db;
    const users = await db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username).sort()).toEqual(DEMO_USERS.map((u) => u.username).sort());
    const forms = await db.selectFrom('forms').select(['id', 'version', 'status']).execute();
    expect(forms.length).toBeGreaterThan(0);
    expect(forms.every((f) => f.version === 1 && f.status === 'published')).toBe(true);
  }, 150_000);
});
