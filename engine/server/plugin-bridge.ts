import { runHook } from '../plugin/hooks.ts';
import type { LoadedPlugins } from '../plugin/load-plugins.ts';
import { migratePlugins } from '../plugin/migrate-plugins.ts';
import type { ValidationError } from '../runtime/types.ts';
import type { SubmissionHooks } from '../submissions/submission.ts';
import type { BuildAppOptions } from './app.ts';
import { httpError } from './http-error.ts';

/**
 * What loaded plugins give the server: their routes (mounted under `/api/plugins/<name>`), their
 * operations and field types (for loading and compiling forms), and their submission hooks. A
 * `beforeSubmissionSave` handler that returns errors refuses the write like a failed validation.
 */
export function pluginAppOptions(
  loaded: LoadedPlugins,
): Pick<BuildAppOptions, 'plugins' | 'submissionHooks' | 'compile' | 'load'> {
  const hooks: SubmissionHooks = {
    name: 'plugins',
    async beforeSave({ action, after, before }) {
      const s = after ?? before;
      if (!s || action === 'delete') return;
      const results = await runHook(loaded.hooks, 'beforeSubmissionSave', {
        formId: s.formId,
        submissionId: action === 'create' ? undefined : s.id,
        orgCode: s.orgUnit,
        data: s.data,
      });
      const errors: ValidationError[] = results.flat();
      if (errors.length > 0) throw httpError('NX_ERR_SUBMISSION_INVALID', errors);
    },
    async beforeTransition({ transition, after, before, db }) {
      const s = after ?? before;
      const results = await runHook(loaded.hooks, 'beforeTransition', {
        workflowId: transition.workflowId,
        caseId: s?.id ?? '',
        from: transition.from,
        to: transition.to,
        action: transition.action,
        orgCode: s?.orgUnit,
        data: s?.data ?? {},
        db,
      });
      return results.flat();
    },
    async afterTransition({ transition, after, before, db }) {
      const s = after ?? before;
      await runHook(loaded.hooks, 'afterTransition', {
        workflowId: transition.workflowId,
        caseId: s?.id ?? '',
        from: transition.from,
        to: transition.to,
        action: transition.action,
        orgCode: s?.orgUnit,
        data: s?.data ?? {},
        db,
      });
    },
    async afterSave({ action, after, db }) {
      if (!after || action === 'delete') return;
      await runHook(loaded.hooks, 'afterSubmissionSave', {
        formId: after.formId,
        submissionId: after.id,
        orgCode: after.orgUnit,
        status: after.status,
        version: after.version,
        action,
        data: after.data,
        db,
      });
    },
  };
  return {
    plugins: [
      // The plugins' own tables first (tracked per plugin), so their routes find them.
      async (app) => {
        await migratePlugins(app.nuanxin.db, loaded);
      },
      ...loaded.routes.map((r) => ({ plugin: r.plugin, prefix: r.prefix })),
    ],
    submissionHooks: [hooks],
    compile: { operations: loaded.operations, fieldTypes: loaded.fieldTypes },
    load: { operations: loaded.operations, fieldTypes: loaded.fieldTypes },
  };
}
