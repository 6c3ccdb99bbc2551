import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import { dialects } from '../helpers/dialects.ts';
import { ROOT } from './run-cli.ts';

/**
 * Runs `nuanxin serve` as a user would. As root every file is writable whatever its mode, so the
 * command then runs as `nobody` (uid 65534), for whom a mode-0444 file is really read-only.
 */
function serve(db: string, port: string) {
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), 'serve', '--db', db, '--port', port], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: r.status, signal: r.signal, stderr: r.stderr };
}

describe.each(dialects())('nuanxin serve on a database it cannot write ($name)', (dialect) => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('refuses to start, saying which database and why', async () => {
    const t = await dialect.open();
    cleanup.push(() => t.destroy());
    let target = t.url;
    if (dialect.name === 'sqlite') {
      // A migrated database, then its file and folder made read-only (as after a wrong `chown`).
      const dir = mkdtempSync(join(tmpdir(), 'nuanxin-ro-'));
      target = join(dir, 'ro.db');
      const db = createDatabase(target);
      await migrateToLatest(db);
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
      await db.destroy();
      chmodSync(target, 0o444);
      chmodSync(dir, 0o555);
      cleanup.push(() => {
        chmodSync(dir, 0o755);
        rmSync(dir, { recursive: true, force: true });
      });
    } else {
      const name = new URL(t.url).pathname.slice(1);
      await sql.raw(`alter database ${name} set default_transaction_read_only = on`).execute(t.db);
    }
    const r = serve(target, '0');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NX_ERR_STORE_NOT_WRITABLE');
    expect(r.stderr).toContain(dialect.name === 'sqlite' ? 'ro.db' : new URL(t.url).pathname);
    expect(r.stderr).toMatch(dialect.name === 'sqlite' ? /SQLITE_(READONLY|CANTOPEN)/ : /25006/);
  }, 90_000);
});
