import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../engine/auth/users.ts';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { publishDraft, saveDraft } from '../../../engine/forms/form-store.ts';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { ENGINE_VERSION } from '../../../engine/plugin/engine-version.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { migratePlugins, runPluginSeeds } from '../../../engine/plugin/migrate-plugins.ts';
import { buildApp } from '../../../engine/server/app.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { migrateToLatest } from '../../../engine/store/migrate.ts';
import { workflowFolderOptions } from '../../../engine/workflow-store/server.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { makeHouseholds } from '../../factories/household.ts';
import '../../helpers/app.ts';
import { countingDatabase } from '../../helpers/statement-counter.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface SubmitPath {
  readonly store: ReturnType<typeof countingDatabase>;
  submit(data: Record<string, unknown>): Promise<{ statusCode: number; body: string }>;
  close(): Promise<void>;
}

/**
 * The HTTP submit path as `npm run bench -- http` runs it (the plugins of the shipped
 * configuration that `keep` keeps, the shipped workflows, a village field worker posting a
 * household survey as `submitted`), with every SQL statement the store runs recorded — `begin`
 * and `commit` included.
 */
async function openSubmitPath(keep: (plugin: string) => boolean): Promise<SubmitPath> {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-count-'));
  const store = countingDatabase(join(dir, 'count.db'));
  const config = JSON.parse(readFileSync(join(ROOT, 'nuanxin.config.json'), 'utf8')) as {
    plugins: unknown[];
  };
  const nameOf = (p: unknown) => (typeof p === 'string' ? p : (p as { use: string }).use);
  config.plugins = config.plugins.filter((p) => keep(nameOf(p)));
  const plugins = await loadPlugins(config, {
    engineVersion: ENGINE_VERSION,
    builtins: builtinPlugins,
    baseDir: ROOT,
    file: 'nuanxin.config.json',
  });
  await migrateToLatest(store.db);
  await migratePlugins(store.db, plugins);
  await runPluginSeeds(store.db, plugins);
  await importOrgUnits(store.db, [
    { code: '510000', name: '四川省', parent: null, level: 'province' },
    { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
    { code: '511923', name: '平昌县', parent: '511900', level: 'county' },
    { code: '511923102', name: '白衣镇', parent: '511923', level: 'township' },
    { code: '511923102201', name: '白衣村', parent: '511923102', level: 'village' },
  ]);
  await createUser(store.db, {
    username: 'village',
    password: 'count-password-1',
    orgCode: '511923102201',
    roles: ['field_staff'],
    permissions: ['pii'],
  });
  const def = loadForm(JSON.parse(readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8')));
  if (!def.ok) throw new Error('household-survey does not load');
  await saveDraft(store.db, def.value, 'test');
  await publishDraft(store.db, def.value.id, 'test');
  const wf = workflowFolderOptions(plugins, join(ROOT, 'test/fixtures/workflows'));
  const app = await buildApp({
    db: store.db,
    ...pluginAppOptions(plugins),
    ...(wf ? { workflows: { ...wf, timerIntervalMs: false } } : {}),
  });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'village', password: 'count-password-1' },
  });
  const token = (login.json() as { token: string }).token;
  return {
    store,
    submit: (data) =>
      app.inject({
        method: 'POST',
        url: '/api/forms/household-survey/submissions',
        headers: { authorization: `Bearer ${token}` },
        payload: { data, status: 'submitted' },
      }),
    async close() {
      await app.close();
      await store.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The statements of the second submit (the first warms the form and workflow caches, as the bench's warm-up does). */
async function countSecondSubmit(path: SubmitPath, households: readonly unknown[]): Promise<string[]> {
  expect((await path.submit(households[0] as Record<string, unknown>)).statusCode).toBe(201);
  path.store.reset();
  const r = await path.submit(households[1] as Record<string, unknown>);
  expect(r.statusCode, r.body).toBe(201);
  const statements = path.store.recorded();
  if (process.env.NUANXIN_PRINT_STATEMENTS) console.log(statements.join('\n'));
  expect(statements[0]).toMatch(/^select/); // authentication comes first
  expect(statements.filter((s) => s.startsWith('begin'))).toHaveLength(1);
  expect(statements.filter((s) => s === 'commit')).toHaveLength(1);
  return statements;
}

describe('HTTP submit statement count', () => {
  let path: SubmitPath;
  // Member ages follow their ID numbers as of each survey's date, as the form checks them.
  const households = makeHouseholds(3, 21);

  beforeAll(async () => {
    // The configuration the first count (21) was made with: the shipped one before the registers
    // plugin, whose own statements (its record versions) come on top and are counted apart.
    // The plugins built on the registers (benefits, payments on benefits, the cross-checks) go with
    // them; the survey path it measures starts a case of the engine's fixture workflow (the
    // approval path on the survey itself), as the first count did.
    const onRegisters = new Set(['registers', 'benefits', 'payments', 'crosschecks']);
    path = await openSubmitPath((name) => !onRegisters.has(name));
  });
  afterAll(async () => {
    await path?.close();
  });

  it('stores a submitted survey, starts its case and takes the submit step in fewer than 21 statements', async () => {
    const statements = await countSecondSubmit(path, households);
    expect(statements.length).toBeLessThan(21);
    // One audit insert for the submission, the case's start and its submit step.
    expect(statements.filter((s) => s.startsWith('insert into "audit_log"'))).toHaveLength(1);
    // The case is not looked for before it is started, nor the row read back by the engine.
    expect(statements.filter((s) => s.startsWith('select * from "workflow_instances"'))).toEqual([]);
    expect(statements.filter((s) => s.startsWith('select * from "submissions"'))).toEqual([]);
  });
});

/** A statement as `verb table` (`select user_roles`, `insert into submissions`, `begin`). */
const shapeOf = (sql: string): string => {
  if (sql.startsWith('begin')) return 'begin';
  if (sql === 'commit') return 'commit';
  const verb = /^(select|insert into|delete from|update)\b/.exec(sql)?.[1] ?? sql.slice(0, 20);
  const table = (verb === 'select' ? /\bfrom "([a-z_]+)"/ : /^[a-z ]+"([a-z_]+)"/).exec(sql)?.[1];
  return `${verb} ${table}`;
};

/**
 * The real submit path: every plugin of the shipped configuration (rules with its
 * evaluateOnSubmit, registers, benefits, report, payments, crosschecks, web, sms-outbox), so the
 * registers' record write and the rules' decision, both in the save's transaction, are pinned
 * statement by statement. A change that adds one fails here; one that saves one updates the list.
 */
describe('HTTP submit statement count with the shipped plugin set', () => {
  let path: SubmitPath;
  const households = makeHouseholds(3, 21);

  beforeAll(async () => {
    path = await openSubmitPath(() => true);
  });
  afterAll(async () => {
    await path?.close();
  });

  it('stores the survey, its case, its household record and its decision in these 19 statements', async () => {
    const statements = await countSecondSubmit(path, households);
    expect(statements.map(shapeOf)).toEqual([
      // Authentication: the token with its user and unit, then its roles and permissions in one
      // read (union all).
      'select auth_tokens',
      'select user_roles',
      // The unit the survey is filed in (its path scopes the submission).
      'select org_units',
      'begin',
      // The engine's save: the submission, the case started on it and its submit step, one audit
      // insert for the three.
      'insert into submissions',
      'insert into workflow_instances',
      'insert into workflow_history',
      'insert into audit_log',
      // registers (afterSubmissionSave, write-hook.ts): the record the head's ID number leads to
      // (none: a new household) and, in the same read (union all), the households already holding
      // its members' ID numbers (a duplicate is flagged). A submission just created has no
      // version to correct; when and by whom come with the save's audit entry (written with
      // `returning`), the owner unit's path with the submission.
      'select register_keys',
      // The new record, its key, its typed version and its version, status, owner.
      'insert into register_households',
      'insert into register_keys',
      'insert into register_households_versions',
      'insert into register_versions',
      'insert into register_statuses',
      'insert into register_owners',
      // Its members (a new record has none to replace).
      'insert into register_members',
      // rules (evaluateOnSubmit, household-eligibility): every parameter series the ruleset uses
      // (standard, marginalFactor, depositMonths, maxNonWorkVehicles, maxHouses,
      // expenseIncomeRatio, expenseAboveBand, expenseCeilingFactor) at the unit's chain up to the
      // province as of the survey date, in one read; then the decision.
      'select rule_parameters',
      'insert into rule_decisions',
      'commit',
    ]);
    expect(statements).toHaveLength(19);
  });
});
