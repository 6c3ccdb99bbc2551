import { codes } from '../errors/codes.ts';
import { NxError } from '../errors/nx-error.ts';
import type { ServiceDirectory } from './types.ts';

const fail = (zh: string, en: string) =>
  new NxError('NX_ERR_PLUGIN_MISSING_DEPENDENCY', codes.NX_ERR_PLUGIN_MISSING_DEPENDENCY?.status ?? 500, {
    'zh-CN': zh,
    en,
  });

/**
 * The services plugins provide, by plugin name. A plugin sees only the services of the plugins
 * it declares in `dependsOn` — the host sets those up first, so the service is there.
 */
export function createServices() {
  const byPlugin = new Map<string, object>();
  return {
    /** What each plugin provided (the server and the CLI read them, e.g. the rules service). */
    get: (pluginName: string): object | undefined => byPlugin.get(pluginName),
    forPlugin(
      pluginName: string,
      dependsOn: readonly string[],
      optional: readonly string[] = [],
    ): ServiceDirectory {
      return {
        provide(service) {
          if (byPlugin.has(pluginName))
            throw fail(`插件“${pluginName}”已提供服务`, `Plugin "${pluginName}" already provides a service`);
          byPlugin.set(pluginName, service);
        },
        use<T extends object>(other: string): T {
          if (!dependsOn.includes(other))
            throw fail(
              `插件“${pluginName}”要使用“${other}”的服务，须在 dependsOn 中声明它`,
              `Plugin "${pluginName}" uses the service of "${other}": declare it in dependsOn`,
            );
          const service = byPlugin.get(other);
          if (!service) throw fail(`插件“${other}”没有提供服务`, `Plugin "${other}" provides no service`);
          return service as T;
        },
        find<T extends object>(other: string): T | undefined {
          // An optional dependency that is not configured is simply absent.
          if (!dependsOn.includes(other) && !optional.includes(other))
            throw fail(
              `插件“${pluginName}”要使用“${other}”的服务，须在 dependsOn 或 optionalDependsOn 中声明它`,
              `Plugin "${pluginName}" uses the service of "${other}": declare it in dependsOn or optionalDependsOn`,
            );
          return byPlugin.get(other) as T | undefined;
        },
      };
    },
  };
}

export type ServiceRegistry = ReturnType<typeof createServices>;
