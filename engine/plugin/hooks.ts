import { safeCall } from './safe-call.ts';
import type { HookHandler, HookName, HookPayloads, HookResults } from './types.ts';

interface Entry {
  pluginName: string;
  handler: (payload: never) => unknown;
}

/** Lifecycle hooks: plugins subscribe in `setup`; the server and workflow engine call `runHook`. */
export interface HookRegistry {
  on<K extends HookName>(name: K, handler: HookHandler<K>): void;
  /** Handlers of `name` in registration order (that is, plugin load order). */
  handlers(name: HookName): readonly { pluginName: string }[];
  /** @internal used by runHook */
  entries(name: HookName): readonly Entry[];
}

export function createHookRegistry(): HookRegistry & {
  forPlugin(pluginName: string): Pick<HookRegistry, 'on'>;
} {
  const byName = new Map<HookName, Entry[]>();
  const add = (name: HookName, entry: Entry) => {
    const list = byName.get(name) ?? [];
    list.push(entry);
    byName.set(name, list);
  };
  return {
    on(name, handler) {
      add(name, { pluginName: '(host)', handler: handler as Entry['handler'] });
    },
    handlers: (name) => (byName.get(name) ?? []).map((e) => ({ pluginName: e.pluginName })),
    entries: (name) => byName.get(name) ?? [],
    forPlugin(pluginName) {
      return {
        on(name, handler) {
          add(name, { pluginName, handler: handler as Entry['handler'] });
        },
      };
    },
  };
}

/**
 * Runs every handler of a hook in order and returns what they returned (skipping `undefined`).
 * A throwing handler stops the run with `NX_ERR_PLUGIN_FAILED` naming its plugin: the caller fails
 * that request and nothing else.
 */
export async function runHook<K extends HookName>(
  hooks: Pick<HookRegistry, 'entries'>,
  name: K,
  payload: HookPayloads[K],
): Promise<NonNullable<HookResults[K]>[]> {
  const results: NonNullable<HookResults[K]>[] = [];
  for (const entry of hooks.entries(name)) {
    const out = await safeCall(entry.pluginName, `hook ${name}`, () =>
      (entry.handler as (p: HookPayloads[K]) => unknown)(payload),
    );
    if (out !== undefined && out !== null) results.push(out as NonNullable<HookResults[K]>);
  }
  return results;
}
