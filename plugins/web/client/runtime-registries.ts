import { extensions, serverOnly } from 'nuanxin:browser-plugins';
import { Type } from '@sinclair/typebox';
import {
  createFieldTypeRegistry,
  createOperationRegistry,
  type FieldTypeRegistry,
  hasFieldPatterns,
  loadPatternEngine,
  type OperationRegistry,
  type ServerOnlyPart,
} from '../../../engine/entry/runtime.ts';

export interface PageRegistries {
  readonly fieldTypes: FieldTypeRegistry;
  readonly operations: OperationRegistry;
}

let made: PageRegistries | undefined;

/**
 * The field types and operations the server compiles forms with: the built-in ones, each
 * configured plugin's browser module, and for what a plugin registers on the server only a
 * stand-in that says so — a field of such a type is refused with NX_ERR_VALUE_NOT_CHECKED_HERE
 * naming the type and the plugin, a rule using such an operation fails naming it.
 */
export function runtimeRegistries(): PageRegistries {
  if (made) return made;
  const fieldTypes = createFieldTypeRegistry();
  const operations = createOperationRegistry();
  for (const x of extensions) x.extend({ fieldTypes, operations });
  for (const s of serverOnly) {
    if (s.kind === 'fieldType')
      fieldTypes.register({
        name: s.name,
        options: Type.Unknown(), // no declared properties: the loader accepts whatever the field carries
        compile: () => () => ({
          code: 'NX_ERR_VALUE_NOT_CHECKED_HERE',
          params: { type: s.name, plugin: s.plugin },
        }),
      });
    else
      operations.register({
        name: s.name,
        compile: () => () => {
          throw new Error(
            `运算“${s.name}”由插件“${s.plugin}”提供，但该插件没有网页模块 / operation "${s.name}" of plugin "${s.plugin}" has no browser module`,
          );
        },
      });
  }
  made = { fieldTypes, operations };
  return made;
}

/**
 * Loads what compiling `def` on this page needs beyond the page's own modules: the pattern engine
 * (its own chunk, the same RE2JS as the server's) when a field has a `pattern`. Await it before
 * `renderForm` or `loadForm`.
 */
export async function prepareRuntime(def: unknown): Promise<void> {
  if (hasFieldPatterns(def)) await loadPatternEngine();
}

/** The field types a definition uses that the page cannot check (their plugin has no browser module). */
export function uncheckedTypes(def: unknown): ServerOnlyPart[] {
  const types = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string' && typeof o.id === 'string') types.add(o.type);
      for (const x of Object.values(o)) visit(x);
    }
  };
  visit(def);
  return serverOnly.filter((s) => s.kind === 'fieldType' && types.has(s.name));
}
