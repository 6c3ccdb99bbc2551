import { runHook } from '../plugin/hooks.ts';
import type { LoadedPlugins } from '../plugin/load-plugins.ts';
import { migratePlugins } from '../plugin/migrate-plugins.ts';
import type { ValidationError } from '../runtime/types.ts';
import type { SaveTransition, SubmissionHookArgs, SubmissionHooks } from '../submissions/submission.ts';
import type { BuildAppOptions } from './app.ts';
import { httpError } from './http-error.ts';

/** What `beforeTransition` and `afterTransition` handlers receive of a save. */
function transitionPayload(a: SubmissionHookArgs & { readonly transition: SaveTransition }) {
  const s = a.after ?? a.before;
  return {
    workflowId: a.transition.workflowId,
    caseId: s?.id ?? '',
    from: a.transition.from,
    to: a.transition.to,
    action: a.transition.action,
    orgCode: s?.orgUnit,
    data: s?.data ?? {},
    db: a.db,
  };
}

/**
 * What loaded plugins give the server: their routes (mounted under `/api/plugins/<name>`), their
 * operations and field types (for loading and compiling forms), their browser modules (for the
 * pages, `app.nuanxin.browser`), and their submission hooks. A
 * `beforeSubmissionSave` handler that returns errors refuses the write like a failed validation.
 */
export function pluginAppOptions(
  loaded: LoadedPlugins,
): Pick<BuildAppOptions, 'plugins' | 'submissionHooks' | 'compile' | 'load' | 'browser'> {
  const hooks: SubmissionHooks = {
    name: 'plugins',
    async beforeSave({ action, after, before, db }) {
      const s = after ?? before;
      if (!s || action === 'delete') return;
      const results = await runHook(loaded.hooks, 'beforeSubmissionSave', {
        formId: s.formId,
        submissionId: action === 'create' ? undefined : s.id,
        orgCode: s.orgUnit,
        data: s.data,
        db,
      });
      const errors: ValidationError[] = results.flat();
      if (errors.length > 0) throw httpError('NX_ERR_SUBMISSION_INVALID', errors);
    },
    async beforeTransition(args) {
      return (await runHook(loaded.hooks, 'beforeTransition', transitionPayload(args))).flat();
    },
    async afterTransition(args) {
      await runHook(loaded.hooks, 'afterTransition', transitionPayload(args));
    },
    async afterSave({ action, after, db, orgPath, entry }) {
      if (!after || action === 'delete') return;
      await runHook(loaded.hooks, 'afterSubmissionSave', {
        formId: after.formId,
        submissionId: after.id,
        orgCode: after.orgUnit,
        orgPath,
        status: after.status,
        version: after.version,
        action,
        data: after.data,
        ...(entry ? { entry } : {}),
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
    browser: loaded.browser,
  };
}
