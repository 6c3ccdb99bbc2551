import type { OperationRegistry } from '../logic/types.ts';
import type { FieldTypeRegistry } from './field-types/registry.ts';

/** The registries a plugin's runtime parts go into: on the server its `api`, in the page the bundle's own. */
export interface RuntimeRegistries {
  readonly fieldTypes: Pick<FieldTypeRegistry, 'register'>;
  readonly operations: Pick<OperationRegistry, 'register'>;
}

/**
 * A plugin's field types and operations, written once for Node and the browser: the plugin's
 * `setup` calls it with its `api`, and the module that exports it as `default` is the plugin's
 * `browser` module, which the web bundle runs in every page (so it may import only browser-safe
 * code: `nuanxin/runtime`, no Node built-ins, no database).
 */
export type RuntimeExtension = (registries: RuntimeRegistries) => void;

/** Declares a runtime extension; returns it unchanged (its purpose is the type). */
export function defineRuntimeExtension(extension: RuntimeExtension): RuntimeExtension {
  return extension;
}

/** What the page needs of the configured plugins: their browser modules, and what lacks one. */
export interface BrowserPlugins {
  /** Each plugin's browser module (an absolute file path), in set-up order. */
  readonly modules: readonly { readonly plugin: string; readonly path: string }[];
  /** Field types and operations a plugin registers on the server but not in its browser module. */
  readonly serverOnly: readonly ServerOnlyPart[];
}

export interface ServerOnlyPart {
  readonly plugin: string;
  readonly kind: 'fieldType' | 'operation';
  readonly name: string;
}

export const NO_BROWSER_PLUGINS: BrowserPlugins = { modules: [], serverOnly: [] };
