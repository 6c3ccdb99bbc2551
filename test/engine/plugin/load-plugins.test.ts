import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { loaded } from '../../../engine/definition/problem.ts';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { definePlugin } from '../../../engine/plugin/define-plugin.ts';
import {
  type LoadPluginsOptions,
  loadPlugins,
  loadPluginsFromFile,
} from '../../../engine/plugin/load-plugins.ts';
import { fakePlugin, memoryOperations, smsConfigSchema } from './helpers.ts';

const opts = (builtins: LoadPluginsOptions['builtins'], extra: Partial<LoadPluginsOptions> = {}) => ({
  engineVersion: '0.1.0',
  builtins,
  operations: memoryOperations(),
  ...extra,
});

/** Runs `fn`, expecting an NxError; returns it so tests can read code, message and details. */
async function failure(fn: () => Promise<unknown>): Promise<NxError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof NxError) return e;
    throw e;
  }
  throw new Error('expected an NxError');
}

describe('loadPlugins', () => {
  it('sets plugins up dependencies first, otherwise in listed order', async () => {
    const log: string[] = [];
    const builtins = {
      a: fakePlugin('a', log, { dependsOn: ['c'] }),
      b: fakePlugin('b', log),
      c: fakePlugin('c', log),
    };
    const loaded = await loadPlugins({ plugins: ['a', 'b', 'c'] }, opts(builtins));
    expect(log).toEqual(['c', 'a', 'b']);
    expect(loaded.plugins.map((p) => p.name)).toEqual(['c', 'a', 'b']);
  });

  it('skips entries with enabled: false', async () => {
    const log: string[] = [];
    await loadPlugins(
      { plugins: [{ use: 'a', enabled: false }, 'b'] },
      opts({ a: fakePlugin('a', log), b: fakePlugin('b', log) }),
    );
    expect(log).toEqual(['b']);
  });

  it('validates the config file itself, with pointers', async () => {
    const e = await failure(() => loadPlugins({ plugins: [{ use: 'a', cfg: {} }] }, opts({})));
    expect(e.code).toBe('NX_ERR_PLUGIN_CONFIG_INVALID');
    expect(e.errors?.map((d) => d.path)).toContain('/plugins/0/cfg');
  });

  it('checks a plugin config against its schema; the error names the plugin and the pointer', async () => {
    const sms = fakePlugin('sms', [], { config: smsConfigSchema });
    const e = await failure(() =>
      loadPlugins(
        { plugins: ['b', { use: 'sms', config: { signature: '', maxLength: 5 } }] },
        opts({ sms, b: fakePlugin('b') }),
      ),
    );
    expect(e.code).toBe('NX_ERR_PLUGIN_BAD_CONFIG');
    expect(e.message).toContain('"sms"');
    expect(e.errors?.map((d) => d.path).sort()).toEqual([
      '/plugins/1/config/maxLength',
      '/plugins/1/config/signature',
    ]);
    expect(e.message).toContain('/plugins/1/config/signature');
  });

  it('hands setup the validated config with defaults applied', async () => {
    let seen: unknown;
    const sms = fakePlugin('sms', [], {
      config: smsConfigSchema,
      body: (api) => {
        seen = api.config;
      },
    });
    await loadPlugins({ plugins: [{ use: 'sms', config: { signature: '【暖心】' } }] }, opts({ sms }));
    expect(seen).toEqual({ signature: '【暖心】', maxLength: 70 });
  });

  it('refuses a plugin whose engine range excludes this engine', async () => {
    const old = fakePlugin('old', [], { engine: '^0.0.1' });
    const e = await failure(() => loadPlugins({ plugins: ['old'] }, opts({ old })));
    expect(e.code).toBe('NX_ERR_PLUGIN_ENGINE_MISMATCH');
    expect(e.message).toContain('"old"');
    expect(e.message).toContain('0.1.0');
  });

  it('refuses a plugin whose dependency is not loaded', async () => {
    const a = fakePlugin('a', [], { dependsOn: ['rules'] });
    const e = await failure(() => loadPlugins({ plugins: ['a'] }, opts({ a })));
    expect(e.code).toBe('NX_ERR_PLUGIN_MISSING_DEPENDENCY');
    expect(e.message).toContain('"a"');
    expect(e.message).toContain('"rules"');
  });

  it('refuses a dependency cycle and names it', async () => {
    const builtins = {
      a: fakePlugin('a', [], { dependsOn: ['b'] }),
      b: fakePlugin('b', [], { dependsOn: ['c'] }),
      c: fakePlugin('c', [], { dependsOn: ['a'] }),
    };
    const e = await failure(() => loadPlugins({ plugins: ['a', 'b', 'c'] }, opts(builtins)));
    expect(e.code).toBe('NX_ERR_PLUGIN_DEPENDENCY_CYCLE');
    expect(e.message).toContain('a → b → c → a');
  });

  it('stops start-up when setup throws, naming the plugin', async () => {
    const boom = fakePlugin('boom', [], {
      body: () => {
        throw new Error('no table');
      },
    });
    const e = await failure(() => loadPlugins({ plugins: ['boom'] }, opts({ boom })));
    expect(e.code).toBe('NX_ERR_PLUGIN_SETUP_FAILED');
    expect(e.message).toContain('"boom"');
    expect(e.message).toContain('no table');
  });

  it('refuses an unknown plugin and a plugin listed twice', async () => {
    const nf = await failure(() =>
      loadPlugins({ plugins: ['nope-not-installed'] }, opts({ a: fakePlugin('a') })),
    );
    expect(nf.code).toBe('NX_ERR_PLUGIN_NOT_FOUND');
    expect(nf.message).toContain('nope-not-installed');
    const dup = await failure(() => loadPlugins({ plugins: ['a', 'a'] }, opts({ a: fakePlugin('a') })));
    expect(dup.code).toBe('NX_ERR_PLUGIN_DUPLICATE');
  });

  it('refuses a module that exports no plugin', async () => {
    const e = await failure(() =>
      loadPlugins({ plugins: ['pkg'] }, opts({}, { importer: async () => ({ something: 1 }) })),
    );
    expect(e.code).toBe('NX_ERR_PLUGIN_INVALID');
  });

  it('loads a plugin by path relative to the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-plugin-'));
    const enginePlugin = join(import.meta.dirname, '../../../engine/plugin/define-plugin.ts');
    writeFileSync(
      join(dir, 'hello.ts'),
      `import { definePlugin } from ${JSON.stringify(enginePlugin)};\n` +
        `export default definePlugin({ name: 'hello', version: '0.3.0', engine: '*', setup(api) { api.seeds.register({ name: 'hello-seed', run: async () => undefined }); } });\n`,
    );
    writeFileSync(join(dir, 'nuanxin.config.json'), JSON.stringify({ plugins: ['./hello.ts'] }));
    const loaded = await loadPluginsFromFile(join(dir, 'nuanxin.config.json'), {
      engineVersion: '0.1.0',
      operations: memoryOperations(),
    });
    expect(loaded.plugins).toEqual([
      { name: 'hello', version: '0.3.0', specifier: './hello.ts', config: {} },
    ]);
    expect(loaded.seeds.map((s) => [s.pluginName, s.seed.name])).toEqual([['hello', 'hello-seed']]);
  });

  it('collects routes under /api/plugins/<name> and refuses a name two plugins claim', async () => {
    const route = async () => {};
    const kind = (name: string) => ({
      name,
      folder: `${name}s`,
      title: { 'zh-CN': name, en: name },
      schema: Type.Object({}),
      load: (json: unknown) => loaded(json),
      idOf: () => undefined,
    });
    const a = fakePlugin('a', [], {
      body: (api) => {
        api.routes.register(route);
        api.definitions.register(kind('register'));
      },
    });
    const one = await loadPlugins({ plugins: ['a'] }, opts({ a }));
    expect(one.routes).toEqual([{ pluginName: 'a', prefix: '/api/plugins/a', plugin: route }]);
    expect(one.definitions.names()).toEqual(['form', 'overlay', 'workflow', 'register']);
    expect(one.definitions.owner('register')).toBe('a');
    const b = fakePlugin('b', [], { body: (api) => api.definitions.register(kind('register')) });
    const e = await failure(() => loadPlugins({ plugins: ['a', 'b'] }, opts({ a, b })));
    expect(e.code).toBe('NX_ERR_PLUGIN_SETUP_FAILED');
    expect(e.message).toContain('"b"');
    expect(e.message).toContain('"register"');
    const c = fakePlugin('c', [], { body: (api) => api.definitions.register(kind('form')) });
    const engine = await failure(() => loadPlugins({ plugins: ['c'] }, opts({ c })));
    expect(engine.message).toContain('"engine"');
  });

  it('passes a frozen api object', async () => {
    let frozen = false;
    const p = definePlugin({
      name: 'p',
      version: '1.0.0',
      engine: '*',
      setup(api) {
        frozen = Object.isFrozen(api);
      },
    });
    await loadPlugins({ plugins: ['p'] }, opts({ p }));
    expect(frozen).toBe(true);
  });
});
