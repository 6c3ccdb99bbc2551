import type { OperationRegistry } from '../logic/types.ts';
import type { FieldTypeRegistry } from '../runtime/field-types/registry.ts';
import type { EffectRegistry } from '../workflow/effects.ts';
import { conflictError } from './named-registry.ts';
import { safeCall, safeCallSync } from './safe-call.ts';

/**
 * What a plugin sees of the engine's shared registries: the same registry, but what it registers
 * is isolated (a throw becomes NX_ERR_PLUGIN_FAILED naming it) and may not replace a name
 * another plugin or the engine already holds.
 */

export function pluginOperations(base: OperationRegistry, pluginName: string): OperationRegistry {
  return {
    register(op) {
      if (base.has(op.name))
        throw conflictError('operation', op.name, pluginName, 'engine or another plugin');
      const what = `operation ${op.name}`;
      base.register({
        ...op,
        compile(args, raw) {
          const ev = safeCallSync(pluginName, what, () => op.compile(args, raw));
          return (env) => safeCallSync(pluginName, what, () => ev(env));
        },
      });
    },
    get: (name) => base.get(name),
    has: (name) => base.has(name),
    names: () => base.names(),
    fork: () => base.fork(),
  };
}

export function pluginEffects(base: EffectRegistry, pluginName: string): EffectRegistry {
  return {
    register(effect) {
      if (base.has(effect.name))
        throw conflictError('effect', effect.name, pluginName, 'engine or another plugin');
      base.register({
        ...effect,
        run: (ctx) => safeCall(pluginName, `effect ${effect.name}`, () => effect.run(ctx)),
      });
    },
    get: (name) => base.get(name),
    has: (name) => base.has(name),
    names: () => base.names(),
    fork: () => base.fork(),
  };
}

export function pluginFieldTypes(base: FieldTypeRegistry, pluginName: string): FieldTypeRegistry {
  return {
    register(type) {
      if (base.has(type.name))
        throw conflictError('field type', type.name, pluginName, 'engine or another plugin');
      const what = `field type ${type.name}`;
      base.register({
        ...type,
        compile(field) {
          const check = safeCallSync(pluginName, what, () => type.compile(field));
          return (raw, env) => safeCallSync(pluginName, what, () => check(raw, env));
        },
      });
    },
    get: (name) => base.get(name),
    has: (name) => base.has(name),
    names: () => base.names(),
    fork: () => base.fork(),
  };
}
