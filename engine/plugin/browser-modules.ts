import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codes } from '../errors/codes.ts';
import { NxError } from '../errors/nx-error.ts';
import type { BrowserPlugins, RuntimeExtension, ServerOnlyPart } from '../runtime/extension.ts';
import type { ModuleImporter } from './resolve-plugin.ts';

/** What one plugin registered during its setup, and the browser module it declares. */
export interface RuntimeParts {
  readonly plugin: string;
  readonly browser: string | URL | undefined;
  readonly fieldTypes: readonly string[];
  readonly operations: readonly string[];
}

const invalid = (plugin: string, zh: string, en: string) =>
  new NxError('NX_ERR_PLUGIN_INVALID', codes.NX_ERR_PLUGIN_INVALID?.status ?? 500, {
    'zh-CN': `插件“${plugin}”：${zh}`,
    en: `Plugin "${plugin}": ${en}`,
  });

/** The browser module's file: a `file:` URL (string or URL) or an absolute path. */
function modulePath(plugin: string, browser: string | URL): string {
  if (browser instanceof URL || browser.startsWith('file:')) return fileURLToPath(browser);
  if (isAbsolute(browser)) return browser;
  throw invalid(
    plugin,
    `browser 应为文件 URL 或绝对路径（如 new URL('./browser.ts', import.meta.url)），而不是“${browser}”`,
    `\`browser\` must be a file URL or an absolute path (e.g. new URL('./browser.ts', import.meta.url)), not "${browser}"`,
  );
}

/**
 * Which browser modules the page bundle imports, and which field types and operations have none.
 * Each declared module is imported here and run against recording registries, so a module that
 * is missing, exports no function or throws stops start-up (NX_ERR_PLUGIN_INVALID), and a name
 * registered on the server but not in the module is listed as server-only.
 */
export async function browserPlugins(
  parts: readonly RuntimeParts[],
  importer: ModuleImporter = (s) => import(s),
): Promise<BrowserPlugins> {
  const modules: { plugin: string; path: string }[] = [];
  const serverOnly: ServerOnlyPart[] = [];
  for (const p of parts) {
    const inBrowser = { fieldTypes: new Set<string>(), operations: new Set<string>() };
    if (p.browser !== undefined) {
      const path = modulePath(p.plugin, p.browser);
      let extension: unknown;
      try {
        extension = ((await importer(pathToFileURL(path).href)) as { default?: unknown }).default;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw invalid(
          p.plugin,
          `无法加载网页模块 ${path}：${reason}`,
          `cannot load its browser module ${path}: ${reason}`,
        );
      }
      if (typeof extension !== 'function')
        throw invalid(
          p.plugin,
          `网页模块 ${path} 的 default 导出应为函数（defineRuntimeExtension）`,
          `its browser module ${path} must export a function as default (defineRuntimeExtension)`,
        );
      try {
        (extension as RuntimeExtension)({
          fieldTypes: { register: (t) => inBrowser.fieldTypes.add(t.name) },
          operations: { register: (o) => inBrowser.operations.add(o.name) },
        });
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw invalid(
          p.plugin,
          `网页模块 ${path} 出错：${reason}`,
          `its browser module ${path} threw: ${reason}`,
        );
      }
      modules.push({ plugin: p.plugin, path });
    }
    for (const name of p.fieldTypes)
      if (!inBrowser.fieldTypes.has(name)) serverOnly.push({ plugin: p.plugin, kind: 'fieldType', name });
    for (const name of p.operations)
      if (!inBrowser.operations.has(name)) serverOnly.push({ plugin: p.plugin, kind: 'operation', name });
  }
  return { modules, serverOnly };
}
