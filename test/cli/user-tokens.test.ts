import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, resolveToken } from '../../engine/auth/tokens.ts';
import { createUser } from '../../engine/auth/users.ts';
import { importOrgUnits } from '../../engine/org/import.ts';
import { PASSWORD, TEST_ORG_UNITS } from '../helpers/app.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';
import { runMain } from './run-main.ts';

describe.each(dialects())('nuanxin user tokens on $name', (dialect) => {
  let t: TestDatabase;
  let mine: { id: string; token: string };
  let other: { id: string; token: string };
  beforeAll(async () => {
    t = await dialect.open();
    await importOrgUnits(t.db, TEST_ORG_UNITS);
    const a = await createUser(t.db, {
      username: 'li.na',
      password: PASSWORD,
      orgCode: '511923',
      roles: ['reviewer'],
    });
    const b = await createUser(t.db, {
      username: 'wang.wu',
      password: PASSWORD,
      orgCode: '511923',
      roles: ['reviewer'],
    });
    mine = await issueToken(t.db, a.id, { kind: 'api', ttlMs: 86_400_000, name: 'bank sync' });
    await issueToken(t.db, a.id, { kind: 'session', ttlMs: 3_600_000 });
    other = await issueToken(t.db, b.id, { kind: 'api', ttlMs: 86_400_000, name: 'other' });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('lists a user’s live tokens without the tokens themselves', async () => {
    const r = await runMain(['user', 'tokens', 'li.na', '--db', t.url]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(r.stdout).toContain(mine.id);
    expect(r.stdout).toContain('bank sync');
    expect(r.stdout).not.toContain(other.id);
    expect(r.stdout).not.toContain(mine.token);
  });

  it('revokes one of the user’s tokens, and refuses a token of someone else', async () => {
    const wrong = await runMain(['user', 'tokens', 'li.na', '--revoke', other.id, '--db', t.url]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(other.id);
    expect(await resolveToken(t.db, other.token)).toBeDefined();
    const r = await runMain(['user', 'tokens', 'li.na', '--revoke', mine.id, '--db', t.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(await resolveToken(t.db, mine.token)).toBeUndefined();
    const after = await runMain(['user', 'tokens', 'li.na', '--db', t.url]);
    expect(after.stdout).not.toContain(mine.id);
  });
});
