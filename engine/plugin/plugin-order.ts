import { codes } from '../errors/codes.ts';
import { NxError } from '../errors/nx-error.ts';

interface Node {
  readonly name: string;
  readonly dependsOn?: readonly string[];
}

/**
 * Orders plugins so each comes after those it depends on; otherwise the listed order is kept.
 * A dependency that is not loaded, or a cycle, stops start-up with an error naming the plugins.
 */
export function orderPlugins<T extends Node>(plugins: readonly T[]): T[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  for (const p of plugins) {
    for (const dep of p.dependsOn ?? []) {
      if (!byName.has(dep)) {
        throw new NxError(
          'NX_ERR_PLUGIN_MISSING_DEPENDENCY',
          codes.NX_ERR_PLUGIN_MISSING_DEPENDENCY!.status,
          {
            'zh-CN': `插件“${p.name}”依赖的插件“${dep}”未在 nuanxin.config.json 中加载`,
            en: `Plugin "${p.name}" depends on "${dep}", which is not loaded (add it to nuanxin.config.json)`,
          },
        );
      }
    }
  }
  const done = new Set<string>();
  const out: T[] = [];
  const visit = (p: T, path: string[]) => {
    if (done.has(p.name)) return;
    if (path.includes(p.name)) {
      const cycle = [...path.slice(path.indexOf(p.name)), p.name].join(' → ');
      throw new NxError('NX_ERR_PLUGIN_DEPENDENCY_CYCLE', codes.NX_ERR_PLUGIN_DEPENDENCY_CYCLE!.status, {
        'zh-CN': `插件循环依赖：${cycle}`,
        en: `Plugins depend on each other in a cycle: ${cycle}`,
      });
    }
    for (const dep of p.dependsOn ?? []) visit(byName.get(dep)!, [...path, p.name]);
    done.add(p.name);
    out.push(p);
  };
  for (const p of plugins) visit(p, []);
  return out;
}
