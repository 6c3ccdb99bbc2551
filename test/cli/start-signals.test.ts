import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.ts';

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Every live process below `pid` (from /proc), children before grandchildren. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name (2nd field) may hold spaces; the parent pid is the 2nd field after it.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) {
      if (parent !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); // a zombie has exited
  } catch {
    return false;
  }
};

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

async function until(what: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return what();
}

/** Starts the command as a user types it and resolves once it prints its address. */
async function startServer(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address after 60 s:\n${out}`)), 60_000);
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('暖心 Nuanxin: http')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}:\n${out}`)));
  });
  return child;
}

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
