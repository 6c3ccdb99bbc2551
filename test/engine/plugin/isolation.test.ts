import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { runHook } from '../../../engine/plugin/hooks.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { safeCall } from '../../../engine/plugin/safe-call.ts';
import type { EffectContext } from '../../../engine/workflow/effects.ts';
import { fakePlugin, memoryOperations } from './helpers.ts';

const ctx = { submission: { data: {} }, input: {}, now: '2021-06-01T00:00:00Z' } as unknown as EffectContext;

async function loadThrowing() {
  const flaky = fakePlugin('flaky', [], {
    body: (api) => {
      api.hooks.on('afterSubmissionSave', () => {
        throw new Error('disk full');
      });
      api.effects.register({
        name: 'flaky.notify',
        run: async () => {
          throw new Error('gateway down');
        },
      });
      api.operations.register({
        name: 'flakyOp',
        compile: () => () => {
          throw new Error('bad op');
        },
      });
    },
  });
  const calm = fakePlugin('calm', [], {
    body: (api) =>
      api.hooks.on('beforeSubmissionSave', () => [
        { path: '/x', code: 'X', message: { 'zh-CN': '不行', en: 'no' } },
      ]),
  });
  return loadPlugins(
    { plugins: ['calm', 'flaky'] },
    { engineVersion: '0.1.0', builtins: { flaky, calm }, operations: memoryOperations() },
  );
}

describe('run-time isolation', () => {
  it('turns a throwing hook into NX_ERR_PLUGIN_FAILED naming the plugin', async () => {
    const loaded = await loadThrowing();
    const p = runHook(loaded.hooks, 'afterSubmissionSave', { formId: 'f', submissionId: '1', data: {} });
    await expect(p).rejects.toBeInstanceOf(NxError);
    await expect(p).rejects.toMatchObject({ code: 'NX_ERR_PLUGIN_FAILED', statusCode: 500 });
    await expect(p).rejects.toThrow(/"flaky".*disk full/);
  });

  it('returns what before-hooks report', async () => {
    const loaded = await loadThrowing();
    const out = await runHook(loaded.hooks, 'beforeSubmissionSave', { formId: 'f', data: {} });
    expect(out).toEqual([[{ path: '/x', code: 'X', message: { 'zh-CN': '不行', en: 'no' } }]]);
  });

  it('isolates effects and operations too', async () => {
    const loaded = await loadThrowing();
    await expect(loaded.effects.get('flaky.notify')!.run(ctx)).rejects.toMatchObject({
      code: 'NX_ERR_PLUGIN_FAILED',
      message: expect.stringContaining('gateway down'),
    });
    const ev = loaded.operations.get('flakyOp')!.compile([], []);
    expect(() => ev({ data: {} })).toThrow(/flaky.*bad op/);
  });

  it('lets an NxError a plugin throws on purpose through unchanged', async () => {
    const own = new NxError('NX_ERR_RULES_NOT_FOUND', 404, { 'zh-CN': '无', en: 'none' });
    await expect(safeCall('rules', 'x', () => Promise.reject(own))).rejects.toBe(own);
  });

  it('refuses a plugin operation that would replace an existing one', async () => {
    const ops = memoryOperations([{ name: 'round', compile: () => () => 1 }]);
    const p = fakePlugin('p', [], {
      body: (api) => api.operations.register({ name: 'round', compile: () => () => 2 }),
    });
    await expect(
      loadPlugins({ plugins: ['p'] }, { engineVersion: '0.1.0', builtins: { p }, operations: ops }),
    ).rejects.toMatchObject({
      code: 'NX_ERR_PLUGIN_SETUP_FAILED',
    });
  });

  it('isolates a plugin field type and keeps built-in types its own', async () => {
    const bank = fakePlugin('bankcard', [], {
      body: (api) =>
        api.fieldTypes.register({
          name: 'bankcard',
          options: Type.Object({}),
          compile: () => (raw) => {
            if (raw === 'boom') throw new Error('checker crashed');
            return { value: String(raw) };
          },
        }),
    });
    const loaded = await loadPlugins(
      { plugins: ['bankcard'] },
      { engineVersion: '0.1.0', builtins: { bankcard: bank } },
    );
    const check = loaded.fieldTypes.get('bankcard')!.compile({ id: 'card', type: 'bankcard' });
    expect(check('6217000000000000', { today: '2021-08-01' })).toEqual({ value: '6217000000000000' });
    expect(() => check('boom', { today: '2021-08-01' })).toThrow(/bankcard.*checker crashed/);
    const clash = fakePlugin('clash', [], {
      body: (api) =>
        api.fieldTypes.register({
          name: 'money',
          options: Type.Object({}),
          compile: () => () => ({ value: 0 }),
        }),
    });
    await expect(
      loadPlugins({ plugins: ['clash'] }, { engineVersion: '0.1.0', builtins: { clash } }),
    ).rejects.toThrow(/"clash".*field type "money"/);
  });
});
