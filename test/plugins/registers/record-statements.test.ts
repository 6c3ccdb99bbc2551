import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../engine/store/migrate.ts';
import { sexOfIdcard } from '../../factories/idcard.ts';
import type { TestApp } from '../../helpers/app.ts';
import type { TestDatabase } from '../../helpers/dialects.ts';
import { countingDatabase } from '../../helpers/statement-counter.ts';
import { householdData, idcardEndingInX, registersApp, submitSurvey } from './setup.ts';

/**
 * The statements one household record answer runs (SQLite, every statement recorded), with the
 * rules and benefits plugins adding their sections: each part read once, and no look-up of which
 * tables exist (15 statements for either reader when the answer read the other plugins' tables).
 */
describe('household record answer statements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-record-'));
  const store = countingDatabase(join(dir, 'record.db'));
  let a: TestApp;
  let url = '';

  beforeAll(async () => {
    await migrateToLatest(store.db);
    const t: TestDatabase = { dialect: 'sqlite', url: '', db: store.db, destroy: async () => {} };
    a = await registersApp(t, ['rules', 'report', 'benefits']);
    const head = idcardEndingInX('1956-06-06');
    await submitSurvey(a, {
      ...householdData(44),
      headIdNumber: head,
      headName: '周德胜',
      headSex: sexOfIdcard(head),
    });
    const found = await a.call('pingchangStaff', 'POST', '/api/registers/households/search', {
      idNumber: head,
    });
    const id = String((found.json() as { items: { record: { id: string } }[] }).items[0]?.record.id);
    url = `/api/registers/households/records/${id}`;
  });
  afterAll(async () => {
    await a?.close();
    await store.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (user: string) => {
    await a.call(user, 'GET', url); // the token is checked once before
    store.reset();
    const r = await a.call(user, 'GET', url);
    expect(r.statusCode, r.body).toBe(200);
    const s = store.recorded();
    expect(s.filter((q) => q.includes('sqlite_master'))).toEqual([]);
    const tables = s.map((q) => /\bfrom "([a-z_]+)"/.exec(q)?.[1]);
    return tables;
  };

  it('reads each part once: the record, its history, submissions, cases, decisions, keys, benefits', async () => {
    expect(await count('pingchangReviewer')).toEqual([
      'auth_tokens',
      'user_roles', // with user_permissions (union all)
      'register_households',
      'register_households',
      'register_versions',
      'register_flags',
      'register_statuses',
      'submissions',
      'workflow_instances',
      'rule_decisions',
      'register_keys',
      'benefits',
    ]);
  });

  it('reads neither the keys nor the benefits for a reader the benefits plugin refuses', async () => {
    const tables = await count('pingchangStaff');
    expect(tables).toHaveLength(10);
    expect(tables).not.toContain('benefits');
    expect(tables).not.toContain('register_keys');
  });
});
