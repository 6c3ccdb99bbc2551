import { codes } from '../errors/codes.ts';
import { NxError } from '../errors/nx-error.ts';
import type { Named } from './types.ts';

/** A registry of named things, remembering which plugin registered each (for errors and isolation). */
export interface NamedRegistry<T extends Named> {
  register(item: T): void;
  get(name: string): T | undefined;
  has(name: string): boolean;
  names(): string[];
  /** The plugin that registered `name`, if any. */
  owner(name: string): string | undefined;
}

/** The host's view: the same store, registering on behalf of a given plugin. */
export interface OwnedRegistry<T extends Named> {
  readonly kind: string;
  forPlugin(pluginName: string): NamedRegistry<T>;
  get(name: string): T | undefined;
  has(name: string): boolean;
  names(): string[];
  owner(name: string): string | undefined;
  entries(): { item: T; pluginName: string }[];
}

export function conflictError(kind: string, name: string, pluginName: string, owner: string): NxError {
  return new NxError(
    'NX_ERR_PLUGIN_REGISTRATION_CONFLICT',
    codes.NX_ERR_PLUGIN_REGISTRATION_CONFLICT!.status,
    {
      'zh-CN': `插件“${pluginName}”注册的${kind}“${name}”已由“${owner}”注册`,
      en: `Plugin "${pluginName}" registers ${kind} "${name}", already registered by "${owner}"`,
    },
  );
}

/**
 * Creates a registry of `kind` (used in messages). `wrap` lets the host decorate each item as it
 * is registered, e.g. to isolate an effect's throws behind `safeCall`.
 */
export function createOwnedRegistry<T extends Named>(
  kind: string,
  wrap: (item: T, pluginName: string) => T = (item) => item,
): OwnedRegistry<T> {
  const items = new Map<string, { item: T; pluginName: string }>();
  const read = {
    get: (name: string) => items.get(name)?.item,
    has: (name: string) => items.has(name),
    names: () => [...items.keys()],
    owner: (name: string) => items.get(name)?.pluginName,
  };
  return {
    kind,
    ...read,
    entries: () => [...items.values()],
    forPlugin(pluginName) {
      return {
        ...read,
        register(item) {
          const existing = items.get(item.name);
          if (existing) throw conflictError(kind, item.name, pluginName, existing.pluginName);
          items.set(item.name, { item: wrap(item, pluginName), pluginName });
        },
      };
    },
  };
}
