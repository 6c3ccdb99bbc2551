import { Type } from '@sinclair/typebox';
import type { OperationDefinition, OperationRegistry } from '../../../engine/logic/types.ts';
import { definePlugin } from '../../../engine/plugin/define-plugin.ts';
import type { PluginApi, PluginDefinition } from '../../../engine/plugin/types.ts';

/** A plain operation registry honouring the OperationRegistry contract (the host only needs the contract). */
export function memoryOperations(initial: OperationDefinition[] = []): OperationRegistry {
  const ops = new Map(initial.map((o) => [o.name, o]));
  return {
    register(op) {
      ops.set(op.name, op);
    },
    get: (n) => ops.get(n),
    has: (n) => ops.has(n),
    names: () => [...ops.keys()],
    fork: () => memoryOperations([...ops.values()]),
  };
}

/** A plugin that records its set-up into `log`, with optional dependencies and setup body. */
export function fakePlugin(
  name: string,
  log: string[] = [],
  extra: Partial<PluginDefinition> & { body?: (api: PluginApi<unknown>) => void | Promise<void> } = {},
): PluginDefinition {
  const { body, ...rest } = extra;
  return definePlugin({
    name,
    version: '1.0.0',
    engine: '^0.1.0',
    ...rest,
    async setup(api) {
      log.push(name);
      await body?.(api as PluginApi<unknown>);
    },
  });
}

export const smsConfigSchema = Type.Object(
  {
    signature: Type.String({ minLength: 1 }),
    maxLength: Type.Integer({ minimum: 10, default: 70 }),
  },
  { additionalProperties: false },
);
