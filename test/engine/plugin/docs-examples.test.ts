import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { compileLogic } from '../../../engine/logic/compile.ts';
import { runHook } from '../../../engine/plugin/hooks.ts';
import { checkConfig, loadPluginsFromFile } from '../../../engine/plugin/load-plugins.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';

/** The examples of docs/plugins.md run as written, so the guide cannot drift from the API. */
const ROOT = join(import.meta.dirname, '../../..');
const doc = readFileSync(join(ROOT, 'docs/plugins.md'), 'utf8');
const block = (lang: string) =>
  [...doc.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] ?? '');

describe('docs/plugins.md', () => {
  it('its nuanxin.config.json example is a valid config', () => {
    expect(() => checkConfig(JSON.parse(block('json')[0] ?? ''))).not.toThrow();
  });

  it('its example plugin loads from a path and does what the guide says', async () => {
    const source = (block('ts')[0] ?? '')
      .replace("from 'nuanxin'", `from ${JSON.stringify(pathToFileURL(join(ROOT, 'engine/index.ts')).href)}`)
      .replace(
        "from '@sinclair/typebox'",
        `from ${JSON.stringify(import.meta.resolve('@sinclair/typebox'))}`,
      );
    const dir = mkdtempSync(join(tmpdir(), 'nx-doc-plugin-'));
    writeFileSync(join(dir, 'visit-log.ts'), source);
    writeFileSync(
      join(dir, 'nuanxin.config.json'),
      JSON.stringify({ plugins: ['rules', { use: './visit-log.ts', config: { minIncome: 1000 } }] }),
    );
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const loaded = await loadPluginsFromFile(join(dir, 'nuanxin.config.json'), {
      engineVersion: '0.1.0',
      builtins: builtinPlugins,
      logger: quiet,
    });
    expect(loaded.plugins.map((p) => p.name)).toEqual(['rules', 'visit-log']);
    expect(compileLogic({ yuan_per_day: [900] }, loaded.operations)({ data: {} })).toBe(30);
    const vetoes = await runHook(loaded.hooks, 'beforeSubmissionSave', {
      formId: 'household-survey',
      data: { headAnnualIncome: 500 },
    });
    expect(vetoes[0]?.[0]?.path).toBe('/headAnnualIncome');
    const app = Fastify();
    // Only the example's routes: the rules plugin's need the server's services (app.nuanxin).
    for (const r of loaded.routes.filter((r) => r.pluginName === 'visit-log'))
      await app.register(r.plugin, { prefix: r.prefix });
    expect((await app.inject({ url: '/api/plugins/visit-log/ping' })).json()).toEqual({ ok: true });
    await app.close();
  });
});
