import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { compileForm, type FormDefinition } from '../../../engine/index.ts';
import { ENGINE_VERSION } from '../../../engine/plugin/engine-version.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import bankCard from '../../../examples/plugins/bank-card/index.ts';
import { browserPluginsSource } from '../../../plugins/web/server/bundle.ts';
import noBrowser from '../../fixtures/plugins/no-browser.ts';
import { fakePlugin } from './helpers.ts';

/**
 * A plugin's browser module: what the page bundle imports, checked when the plugins load, and
 * what a plugin without one leaves to the server.
 */

const load = (...plugins: ReturnType<typeof fakePlugin>[]) =>
  loadPlugins(
    { plugins: plugins.map((p) => p.name) },
    { engineVersion: ENGINE_VERSION, builtins: Object.fromEntries(plugins.map((p) => [p.name, p])) },
  );

const fixture = (name: string) => new URL(`../../fixtures/plugins/${name}`, import.meta.url);

const cardForm = {
  id: 'card-check',
  version: 1,
  title: { 'zh-CN': '银行卡', en: 'Bank card' },
  period: { kind: 'none' },
  sections: [
    {
      id: 's',
      title: { 'zh-CN': '卡', en: 'Card' },
      fields: [
        { id: 'card', type: 'bankcard', label: { 'zh-CN': '卡号', en: 'Card' } },
        {
          id: 'tail',
          type: 'text',
          label: { 'zh-CN': '尾号', en: 'Tail' },
          readOnly: true,
          calculate: { bankcard_tail: [{ var: 'card' }] },
        },
      ],
    },
  ],
} as unknown as FormDefinition;

describe('browser modules of plugins', () => {
  it('lists the example plugin’s module, whose field type and operation the server compiles with', async () => {
    const loaded = await load(bankCard);
    expect(loaded.browser.modules).toEqual([
      { plugin: 'bank-card', path: expect.stringMatching(/examples\/plugins\/bank-card\/runtime\.ts$/) },
    ]);
    expect(loaded.browser.serverOnly).toEqual([]);
    const form = compileForm(cardForm, { fieldTypes: loaded.fieldTypes, operations: loaded.operations });
    const good = form.validate({ card: '6222 0212 3456 7894' }, { mode: 'draft' });
    expect(good.errors).toEqual([]);
    expect(good.data).toMatchObject({ card: '6222021234567894', tail: '7894' });
    const bad = form.validate({ card: '6222021234567890' }, { mode: 'draft' });
    expect(bad.errors).toEqual([
      expect.objectContaining({ path: '/card', code: 'NX_ERR_BANK_CARD_CHECK_DIGIT' }),
    ]);
    expect(bad.data).not.toHaveProperty('tail'); // an invalid card is left out of the data, so no tail
  });

  it('lists what a plugin without a browser module registers as server-only, and still loads it', async () => {
    const loaded = await load(noBrowser);
    expect(loaded.browser).toEqual({
      modules: [],
      serverOnly: [
        { plugin: 'plain-code', kind: 'fieldType', name: 'plain_code' },
        { plugin: 'plain-code', kind: 'operation', name: 'plain_upper' },
      ],
    });
    expect(loaded.fieldTypes.has('plain_code')).toBe(true);
  });

  it('lists what a browser module leaves out as server-only', async () => {
    const half = fakePlugin('half', [], {
      browser: fixture('field-type-only.ts'),
      body: (api) => {
        api.fieldTypes.register({
          name: 'half_code',
          options: Type.Object({}),
          compile: () => (raw) => ({ value: raw }),
        });
        api.operations.register({ name: 'half_op', compile: () => () => 1 });
      },
    });
    const loaded = await load(half);
    expect(loaded.browser.modules.map((m) => m.plugin)).toEqual(['half']);
    expect(loaded.browser.serverOnly).toEqual([{ plugin: 'half', kind: 'operation', name: 'half_op' }]);
  });

  it('stops start-up when the browser module is missing, exports no function or is not absolute', async () => {
    for (const browser of [fixture('missing.ts'), fixture('not-a-function.ts'), './runtime.ts']) {
      const p = fakePlugin('broken', [], { browser });
      await expect(load(p)).rejects.toMatchObject({ code: 'NX_ERR_PLUGIN_INVALID' });
    }
  });

  it('writes the module the page bundle imports: each extension by plugin, and the server-only parts', () => {
    const src = browserPluginsSource({
      modules: [{ plugin: 'bank-card', path: '/x/runtime.ts' }],
      serverOnly: [{ plugin: 'plain-code', kind: 'fieldType', name: 'plain_code' }],
    });
    expect(src).toContain('import p0 from "/x/runtime.ts";');
    expect(src).toContain('export const extensions = [{ plugin: "bank-card", extend: p0 }];');
    expect(src).toContain('"name":"plain_code"');
  });
});
