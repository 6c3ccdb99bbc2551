import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, resolveToken } from '../../engine/auth/tokens.ts';
import { checkCredentials, createUser } from '../../engine/auth/users.ts';
import { importOrgUnits } from '../../engine/org/import.ts';
import { PASSWORD, TEST_ORG_UNITS } from '../helpers/app.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';
import { ROOT } from './run-cli.ts';
import { runMain } from './run-main.ts';

/** `nuanxin <args>` as a child process, with `input` piped on its standard input. */
const nuanxin = (args: string[], input = '') => {
  const r = spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe.each(dialects())('nuanxin user passwd and disable on $name', (dialect) => {
  let t: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    t = await dialect.open();
    await importOrgUnits(t.db, TEST_ORG_UNITS);
    userId = (
      await createUser(t.db, {
        username: 'li.na',
        password: PASSWORD,
        orgCode: '511923',
        roles: ['reviewer'],
      })
    ).id;
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it("add refuses a weak password with the policy's codes and stores nothing", async () => {
    const add = await runMain([
      'user',
      'add',
      '--username',
      'wang.wu',
      '--password',
      'password123',
      '--role',
      'viewer',
      '--org',
      '511923',
      '--db',
      t.url,
    ]);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain('NX_ERR_AUTH_PASSWORD_WEAK');
    expect(
      await t.db.selectFrom('users').select('id').where('username', '=', 'wang.wu').executeTakeFirst(),
    ).toBeUndefined();
  });

  // One child process per dialect: it is the only way to pipe standard input, and it is slow under load.
  it('passwd reads the new password from stdin and ends the sessions', { timeout: 120_000 }, async () => {
    const session = await issueToken(t.db, userId, { kind: 'session', ttlMs: 60_000 });
    const r = nuanxin(['user', 'passwd', 'li.na', '--db', t.url], 'quiet-lantern-river-7\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('li.na');
    expect(r.stdout + r.stderr).not.toContain('quiet-lantern-river-7');
    expect((await checkCredentials(t.db, 'li.na', 'quiet-lantern-river-7')).status).toBe('ok');
    expect((await checkCredentials(t.db, 'li.na', PASSWORD)).status).toBe('invalid');
    expect(await resolveToken(t.db, session.token)).toBeUndefined();
  });

  it('disable stops logins and tokens; --enable lets the user log in again', async () => {
    const api = await issueToken(t.db, userId, { kind: 'api', ttlMs: 60_000 });
    expect((await runMain(['user', 'disable', 'nobody', '--db', t.url])).code).toBe(1);
    const off = await runMain(['user', 'disable', 'li.na', '--db', t.url]);
    expect(off.code, off.stderr).toBe(0);
    expect((await checkCredentials(t.db, 'li.na', 'quiet-lantern-river-7')).status).toBe('disabled');
    expect(await resolveToken(t.db, api.token)).toBeUndefined();
    const on = await runMain(['user', 'disable', 'li.na', '--enable', '--db', t.url]);
    expect(on.code, on.stderr).toBe(0);
    expect((await checkCredentials(t.db, 'li.na', 'quiet-lantern-river-7')).status).toBe('ok');
  });
});
