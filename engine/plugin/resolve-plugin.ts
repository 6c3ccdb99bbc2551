import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { codes } from '../errors/codes.ts';
import { NxError } from '../errors/nx-error.ts';
import type { PluginDefinition } from './types.ts';
import { parseRange, parseVersion } from './version-range.ts';

/** A built-in plugin: the definition, or a loader so unused built-ins are never imported. */
export type BuiltinPlugin = PluginDefinition<TSchema> | (() => Promise<PluginDefinition<TSchema>>);

export type ModuleImporter = (specifier: string) => Promise<unknown>;

const isPath = (s: string) => s.startsWith('./') || s.startsWith('../') || isAbsolute(s);

const err = (code: string, zh: string, en: string) =>
  new NxError(code, codes[code]?.status ?? 500, { 'zh-CN': zh, en });

/**
 * Turns a config entry into a plugin definition: a built-in name, a path (relative to `baseDir`)
 * or a package name. The module's `default` export (or a named `plugin` export) is the plugin.
 */
export async function resolvePlugin(
  specifier: string,
  opts: {
    builtins: Readonly<Record<string, BuiltinPlugin>>;
    baseDir: string;
    importer?: ModuleImporter;
  },
): Promise<PluginDefinition<TSchema>> {
  const importer: ModuleImporter = opts.importer ?? ((s) => import(s));
  let candidate: unknown;
  const builtin = Object.hasOwn(opts.builtins, specifier) ? opts.builtins[specifier] : undefined;
  if (builtin) {
    candidate = typeof builtin === 'function' ? await builtin() : builtin;
  } else {
    const target = isPath(specifier) ? pathToFileURL(resolve(opts.baseDir, specifier)).href : specifier;
    let mod: unknown;
    try {
      mod = await importer(target);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const known = Object.keys(opts.builtins).join(', ') || '—';
      throw err(
        'NX_ERR_PLUGIN_NOT_FOUND',
        `找不到插件“${specifier}”（内置插件：${known}）：${reason}`,
        `Plugin "${specifier}" not found (built-ins: ${known}): ${reason}`,
      );
    }
    const m = (mod ?? {}) as { default?: unknown; plugin?: unknown };
    candidate = m.default ?? m.plugin;
  }
  checkDefinition(specifier, candidate);
  return candidate;
}

const NAME = /^[a-z][a-z0-9-]*$/;

/** Checks the shape of what a module exported before any of it runs. */
export function checkDefinition(specifier: string, p: unknown): asserts p is PluginDefinition<TSchema> {
  const fail = (zh: string, en: string) =>
    err('NX_ERR_PLUGIN_INVALID', `插件“${specifier}”：${zh}`, `Plugin "${specifier}": ${en}`);
  if (typeof p !== 'object' || p === null)
    throw fail('模块未导出插件（default 或 plugin）', 'the module exports no plugin (default or `plugin`)');
  const d = p as Record<string, unknown>;
  if (typeof d.name !== 'string' || !NAME.test(d.name))
    throw fail('name 应为 kebab-case 字符串', '`name` must be a kebab-case string');
  if (typeof d.version !== 'string' || !parseVersion(d.version))
    throw fail('version 应为 x.y.z', '`version` must be x.y.z');
  if (typeof d.engine !== 'string' || !parseRange(d.engine))
    throw fail(
      `engine 版本范围无法识别：${String(d.engine)}`,
      `unreadable engine range: ${String(d.engine)}`,
    );
  if (typeof d.setup !== 'function') throw fail('缺少 setup 函数', '`setup` must be a function');
  if (
    d.dependsOn !== undefined &&
    !(Array.isArray(d.dependsOn) && d.dependsOn.every((x) => typeof x === 'string'))
  )
    throw fail('dependsOn 应为插件名数组', '`dependsOn` must be an array of plugin names');
  if (d.browser !== undefined && !(typeof d.browser === 'string' || d.browser instanceof URL))
    throw fail('browser 应为文件 URL 或绝对路径', '`browser` must be a file URL or an absolute path');
}
