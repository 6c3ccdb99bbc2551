import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../cli/import/import-file.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import type { SubmissionHooks } from '../../../engine/submissions/submission.ts';
import { householdData, type WorkflowTestApp, workflowApp } from '../../engine/workflow-store/setup.ts';
import { csvCell } from '../../factories/csv-cell.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { probePlugin } from '../../helpers/probe-plugin.ts';

const VILLAGE = '511923102201';
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A CSV of submissions: one row each, columns named after the fields. */
function csv(rows: Record<string, unknown>[]): string {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [header.join(','), ...rows.map((r) => header.map((k) => csvCell(r[k])).join(','))].join('\n');
}

/**
 * `nuanxin import` and the HTTP API save through one pipeline: the same households, imported
 * and posted by the same village worker, give the same stored rows, the same audit entries, the
 * same workflow cases and the same effects of the plugins' hooks.
 */
describe.each(dialects())('import and HTTP store the same on $name', (dialect) => {
  let t: TestDatabase;
  let w: WorkflowTestApp;
  let hooks: readonly SubmissionHooks[];
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-import-http-'));
  beforeAll(async () => {
    t = await dialect.open();
    hooks = pluginAppOptions(await probePlugin()).submissionHooks ?? [];
    w = await workflowApp(t, undefined, {}, { submissionHooks: hooks });
  }, 60_000);
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Everything stored for one submission, without what tells two saves apart (ids, instants). */
  const storedFor = async (id: string) => {
    const s = await t.db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'entity_type', 'org_path', 'diff'])
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    const instance = await t.db
      .withTables<{
        workflow_instances: {
          submission_id: string;
          workflow_id: string;
          workflow_version: number;
          state: string;
          submitter_id: string;
          org_code: string;
          org_path: string;
          version: number;
          approvals: string;
        };
      }>()
      .selectFrom('workflow_instances')
      .select([
        'workflow_id',
        'workflow_version',
        'state',
        'submitter_id',
        'org_code',
        'org_path',
        'version',
        'approvals',
      ])
      .where('submission_id', '=', id)
      .executeTakeFirst();
    return {
      row: {
        form_id: s.form_id,
        form_version: s.form_version,
        org_code: s.org_code,
        org_path: s.org_path,
        status: s.status,
        version: s.version,
        period: s.period,
        created_by: s.created_by,
        deleted_at: s.deleted_at,
        data: JSON.parse(s.data) as unknown,
      },
      audit: audit.map((a) => ({ ...a, diff: JSON.parse(a.diff) as unknown })),
      instance,
    };
  };

  it('gives the same rows, audit entries, cases and hook effects as posting each row', async () => {
    const households = [householdData(71), householdData(72)];
    const file = join(dir, 'households.csv');
    writeFileSync(file, csv(households));
    const summary = await importFile({
      db: t.db,
      formId: 'household-survey',
      file,
      orgCode: VILLAGE,
      actor: 'baiyicun.staff',
      status: 'draft',
      today,
      hooks,
      workflows: w.app.workflows,
      clock: () => w.now,
      thread: false,
    });
    expect(summary.errors).toEqual([]);
    expect(summary.imported).toBe(2);
    const imported = (
      await t.db
        .selectFrom('submissions')
        .select(['id', 'data'])
        .where('created_by', '=', 'baiyicun.staff')
        .where('form_id', '=', 'household-survey')
        .execute()
    ).map((r) => r.id);
    expect(imported).toHaveLength(2);

    for (const h of households) {
      const r = await w.call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
        data: h,
        status: 'draft',
      });
      expect(r.statusCode, r.body).toBe(201);
      const posted = await storedFor(r.json<{ id: string }>().id);
      const twins = await Promise.all(imported.map(storedFor));
      const twin = twins.find((x) => JSON.stringify(x.row.data) === JSON.stringify(posted.row.data));
      expect(twin, 'an imported row with the same data').toBeDefined();
      expect(twin).toEqual(posted);
      expect(posted.audit.map((a) => a.action)).toEqual([
        'submission.create',
        'workflow.start',
        'probe.afterSubmissionSave',
      ]);
    }
  }, 60_000);

  it('an import of the same rows racing itself stores each row once', async () => {
    const file = join(dir, 'twice.csv');
    writeFileSync(file, csv([householdData(81), householdData(82), householdData(83)]));
    const run = () =>
      importFile({
        db: t.db,
        formId: 'household-survey',
        file,
        orgCode: VILLAGE,
        status: 'draft',
        today,
        hooks,
        workflows: w.app.workflows,
        thread: false,
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.imported + b.imported).toBe(3);
    expect(a.skipped + b.skipped).toBe(3);
    const rows = await t.db
      .selectFrom('submissions')
      .select('id')
      .where('created_by', '=', 'import')
      .execute();
    expect(rows).toHaveLength(3);
    for (const { id } of rows) {
      const s = await storedFor(id);
      expect(s.audit.filter((x) => x.action === 'submission.create')).toHaveLength(1);
      expect(s.instance?.version).toBe(1);
    }
  }, 60_000);
});
