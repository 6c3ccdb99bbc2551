import type { Kysely } from 'kysely';
import { definePlugin } from '../../engine/plugin/define-plugin.ts';
import { ENGINE_VERSION } from '../../engine/plugin/engine-version.ts';
import { type LoadedPlugins, loadPlugins } from '../../engine/plugin/load-plugins.ts';
import type { Database } from '../../engine/store/schema.ts';

/** The data value that makes the probe's `beforeTransition` refuse a transition. */
export const VETO = '否决';

/** What `afterSubmissionSave` handlers were told of each save's own audit entry and unit path, in order. */
export const told: {
  submissionId: string;
  orgPath: string | undefined;
  entry: { id: number; at: string; actor: string | null } | undefined;
}[] = [];

/**
 * A plugin that leaves a trace of every hook it sees, written through the save's own transaction
 * (`db`) into the audit log as `probe.<hook>` entries: what a register or a rules decision would
 * write. Its `beforeTransition` refuses a transition of a case whose `surveyorName` is `VETO`.
 */
export async function probePlugin(): Promise<LoadedPlugins> {
  const probe = definePlugin({
    name: 'probe',
    version: '1.0.0',
    engine: '^0.1.0',
    setup(api) {
      const trace = (hook: string, db: Kysely<Database>, id: string, after: Record<string, unknown>) =>
        db
          .insertInto('audit_log')
          .values({
            at: '2000-01-01T00:00:00.000Z',
            actor: 'probe',
            action: `probe.${hook}`,
            entity_type: 'submission',
            entity_id: id,
            org_path: null,
            diff: JSON.stringify({ before: null, after }),
          })
          .execute();
      api.hooks.on('afterSubmissionSave', async (p) => {
        told.push({ submissionId: p.submissionId, orgPath: p.orgPath, entry: p.entry });
        if (!p.db) return;
        await trace('afterSubmissionSave', p.db, p.submissionId, {
          status: p.status ?? null,
          action: p.action ?? null,
          headName: p.data.headName ?? null,
        });
      });
      api.hooks.on('beforeTransition', async (p) => {
        if (p.data.surveyorName === VETO)
          return [
            {
              path: '/surveyorName',
              code: 'NX_ERR_PROBE_VETO',
              message: { 'zh-CN': '调查人不能为此值', en: 'The surveyor may not be this value' },
            },
          ];
        await trace('beforeTransition', p.db, p.caseId, { action: p.action, from: p.from, to: p.to });
        return undefined;
      });
      api.hooks.on('afterTransition', async (p) => {
        await trace('afterTransition', p.db, p.caseId, { action: p.action, from: p.from, to: p.to });
      });
    },
  });
  return loadPlugins({ plugins: ['probe'] }, { engineVersion: ENGINE_VERSION, builtins: { probe } });
}
