import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTask, tasksOf } from '../../../cli/commands/tasks.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { FIXTURE_WORKFLOWS, householdData, type WorkflowTestApp, workflowApp } from './setup.ts';

const sqlite = dialects().filter((d) => d.name === 'sqlite');

describe.each(sqlite)('nuanxin tasks on $name', (dialect) => {
  let t: TestDatabase;
  let w: WorkflowTestApp;
  beforeAll(async () => {
    t = await dialect.open();
    w = await workflowApp(t);
  });
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
  });

  it("lists a user's tasks as the server does", async () => {
    const r = await w.call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
      data: householdData(),
      status: 'submitted',
    });
    const id = r.json<{ id: string }>().id;
    const config = join(mkdtempSync(join(tmpdir(), 'nx-tasks-')), 'nuanxin.config.json');
    writeFileSync(config, JSON.stringify({ plugins: ['rules'] }));
    const workflows = FIXTURE_WORKFLOWS;
    const tasks = await tasksOf({ user: 'baiyi.reviewer', db: t.url, config, workflows });
    expect(tasks.map((x) => x.submissionId)).toEqual([id]);
    expect(formatTask(tasks[0]!)).toContain('乡镇审核 / Township review');
    expect(await tasksOf({ user: 'pingchang.reviewer', db: t.url, config, workflows })).toEqual([]);
    await expect(tasksOf({ user: 'nobody', db: t.url, config, workflows })).rejects.toThrow(/no such user/);
  });
});
