import type { DefinitionKind, LoadContext } from '../engine/definition/kind.ts';
import { coreDefinitionKinds } from '../engine/plugin/core-kinds.ts';
import { configuredPlugins } from './plugins.ts';

/** The kinds of definition files a command knows, and what their loaders use. */
export interface KnownKinds {
  readonly kinds: readonly DefinitionKind[];
  readonly ctx: Omit<LoadContext, 'file'>;
}

/**
 * The engine's kinds and those of the configured plugins (`--config`, else
 * `./nuanxin.config.json`); without a config, the engine's kinds alone. Workflows are checked
 * against the plugins' effects, forms and rules against their field types and operations.
 */
export async function knownKinds(config?: string): Promise<KnownKinds> {
  const plugins = await configuredPlugins(config);
  if (!plugins) return { kinds: coreDefinitionKinds(), ctx: {} };
  return {
    kinds: plugins.definitions.entries().map((e) => e.item),
    ctx: { operations: plugins.operations, fieldTypes: plugins.fieldTypes },
  };
}
