import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFileText } from '../../../engine/definition/form-json-schema.ts';
import { configJsonSchema } from '../../../engine/plugin/config-schema.ts';
import { ENGINE_VERSION } from '../../../engine/plugin/engine-version.ts';
import { checkConfig, loadPluginsFromFile } from '../../../engine/plugin/load-plugins.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('nuanxin.config.json', () => {
  it('schemas/config.schema.json is generated from the TypeBox schema (regenerate when this fails)', () => {
    expect(readFileSync(join(ROOT, 'schemas/config.schema.json'), 'utf8')).toBe(
      schemaFileText(configJsonSchema()),
    );
  });

  it('the shipped config is valid and loads every plugin it lists', async () => {
    const json = JSON.parse(readFileSync(join(ROOT, 'nuanxin.config.json'), 'utf8'));
    expect(() => checkConfig(json)).not.toThrow();
    const loaded = await loadPluginsFromFile(join(ROOT, 'nuanxin.config.json'), {
      engineVersion: ENGINE_VERSION,
      builtins: builtinPlugins,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const listed = (json.plugins as (string | { use: string })[]).map((e) =>
      typeof e === 'string' ? e : e.use,
    );
    expect(loaded.plugins.map((p) => p.name).sort()).toEqual([...listed].sort());
    expect(listed).toEqual(expect.arrayContaining(['rules', 'sms-outbox']));
    expect(loaded.effects.names()).toEqual(expect.arrayContaining(['rules.evaluate', 'sms-outbox.notify']));
  });

  it('ENGINE_VERSION is the package version', () => {
    expect(ENGINE_VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
