import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, descendants, freePort, listening, startServer, until } from '../helpers/processes.ts';

describe('stopping a server started through npm', () => {
  const started: number[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    // Whatever a failed test left behind: only the processes these tests started.
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const cases: { name: string; cmd: string; args: (port: number, db: string) => string[] }[] = [
    { name: 'npm start', cmd: 'npm', args: () => ['start'] },
    {
      name: 'npx nuanxin start',
      cmd: 'npx',
      args: (port, db) => ['nuanxin', 'start', '--port', String(port), '--db', db],
    },
  ];

  it.each(cases)(
    '$name: SIGTERM to npm drains the server and leaves no process and no open port',
    async (c) => {
      const dir = mkdtempSync(join(tmpdir(), 'nuanxin-signal-'));
      dirs.push(dir);
      const port = await freePort();
      const db = join(dir, 'n.db');
      const npm = await startServer(c.cmd, c.args(port, db), {
        PORT: String(port),
        DATABASE_URL: db,
        NUANXIN_SCRYPT_LOG2N: '10',
        LOG_LEVEL: 'warn',
      });
      const tree = [npm.pid as number, ...descendants(npm.pid as number)];
      started.push(...tree);
      expect(tree.length).toBeGreaterThanOrEqual(2); // npm and, somewhere below it, the server
      expect(await listening(port)).toBe(true);

      npm.kill('SIGTERM');
      expect(await until(async () => !(await listening(port)), 15_000)).toBe(true);
      expect(await until(() => tree.every((pid) => !alive(pid)), 15_000)).toBe(true);
    },
    120_000,
  );
});
