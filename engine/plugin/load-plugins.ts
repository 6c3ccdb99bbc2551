import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyPluginAsync } from 'fastify';
import type { Migration } from 'kysely';
import type { DefinitionKind } from '../definition/kind.ts';
import { childPointer } from '../definition/problem.ts';
import { schemaProblems } from '../definition/schema-problems.ts';
import { codes } from '../errors/codes.ts';
import { type ErrorDetail, NxError } from '../errors/nx-error.ts';
import { createOperationRegistry } from '../logic/registry.ts';
import type { OperationRegistry } from '../logic/types.ts';
import type { BrowserPlugins } from '../runtime/extension.ts';
import { createFieldTypeRegistry, type FieldTypeRegistry } from '../runtime/field-types/registry.ts';
import { createEffectRegistry, type EffectRegistry } from '../workflow/effects.ts';
import { API_AREA, CORE_API_AREAS } from './api-areas.ts';
import { browserPlugins, type RuntimeParts } from './browser-modules.ts';
import { NuanxinConfig } from './config-schema.ts';
import { coreDefinitionKinds } from './core-kinds.ts';
import { createHookRegistry, type HookRegistry } from './hooks.ts';
import { createOwnedRegistry, type OwnedRegistry } from './named-registry.ts';
import { registerPluginCodes } from './plugin-codes.ts';
import { orderPlugins } from './plugin-order.ts';
import { pluginEffects, pluginFieldTypes, pluginOperations } from './plugin-registries.ts';
import { type BuiltinPlugin, type ModuleImporter, resolvePlugin } from './resolve-plugin.ts';
import { pluginFailure } from './safe-call.ts';
import { createServices, type ServiceRegistry } from './services.ts';
import type { PluginApi, PluginDefinition, PluginLogger, PluginRoute, PluginSeed } from './types.ts';
import { satisfies } from './version-range.ts';

export interface LoadPluginsOptions {
  /** The running engine's version, checked against each plugin's `engine` range. */
  readonly engineVersion: string;
  /** Built-in plugins by name (see `plugins/builtins.ts`). */
  readonly builtins?: Readonly<Record<string, BuiltinPlugin>>;
  /** Where relative plugin paths start; the config file's folder, or the working directory. */
  readonly baseDir?: string;
  /** The engine's operation registry that plugins extend (the runtime compiles rules with it); a new one when omitted. */
  readonly operations?: OperationRegistry;
  /** The runtime's field types that plugins extend; the built-ins when omitted. */
  readonly fieldTypes?: FieldTypeRegistry;
  /** The workflow engine's effect registry; a new one when omitted. */
  readonly effects?: EffectRegistry;
  readonly logger?: PluginLogger;
  /** Name of the config file, for messages. */
  readonly file?: string;
  /** Module loader (tests inject one). */
  readonly importer?: ModuleImporter;
}

export interface LoadedPlugin {
  readonly name: string;
  readonly version: string;
  readonly specifier: string;
  readonly config: unknown;
}

/** Everything the plugins registered, for the server, runtime and workflow engine to use. */
export interface LoadedPlugins {
  /** In set-up order (dependencies first). */
  readonly plugins: readonly LoadedPlugin[];
  readonly operations: OperationRegistry;
  readonly effects: EffectRegistry;
  readonly fieldTypes: FieldTypeRegistry;
  readonly routes: readonly PluginRoute[];
  /** Kinds of definition files: the engine's (form, overlay, workflow), then the plugins'. */
  readonly definitions: OwnedRegistry<DefinitionKind>;
  /** Each plugin's migrations by name, in set-up order (run by `migratePlugins`). */
  readonly migrations: readonly PluginMigrations[];
  /** Demo data, in set-up order (run by `runPluginSeeds`). */
  readonly seeds: readonly { readonly pluginName: string; readonly seed: PluginSeed }[];
  readonly hooks: HookRegistry;
  /** The services plugins provided, by plugin name. */
  readonly services: ServiceRegistry;
  /** The plugins' browser modules for the page bundle, and the field types and operations without one. */
  readonly browser: BrowserPlugins;
}

export interface PluginMigrations {
  readonly pluginName: string;
  readonly migrations: Readonly<Record<string, Migration>>;
}

const MIGRATION_NAME = /^[A-Za-z0-9][\w.-]*$/;

const stderrLogger: PluginLogger = {
  debug: () => {},
  info: () => {},
  warn: (msg, d) => process.stderr.write(`${msg}${d ? ` ${JSON.stringify(d)}` : ''}\n`),
  error: (msg, d) => process.stderr.write(`${msg}${d ? ` ${JSON.stringify(d)}` : ''}\n`),
};

function prefixed(base: PluginLogger, name: string): PluginLogger {
  return {
    debug: (m, d) => base.debug(`[${name}] ${m}`, d),
    info: (m, d) => base.info(`[${name}] ${m}`, d),
    warn: (m, d) => base.warn(`[${name}] ${m}`, d),
    error: (m, d) => base.error(`[${name}] ${m}`, d),
  };
}

const fail = (code: string, zh: string, en: string, errors?: ErrorDetail[]) =>
  new NxError(code, codes[code]?.status ?? 500, { 'zh-CN': zh, en }, errors);

/** Validates `nuanxin.config.json` content; throws NX_ERR_PLUGIN_CONFIG_INVALID listing every problem. */
export function checkConfig(config: unknown, file = 'nuanxin.config.json'): NuanxinConfig {
  const problems = schemaProblems(NuanxinConfig, config, file);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.pointer || '/'}: ${p.message.en}`).join('; ');
    throw fail(
      'NX_ERR_PLUGIN_CONFIG_INVALID',
      `${file} 无效：${problems.map((p) => `${p.pointer || '/'}：${p.message['zh-CN']}`).join('；')}`,
      `${file} is invalid: ${lines}`,
      problems.map((p) => ({ path: p.pointer, code: p.code, message: p.message, hint: p.hint })),
    );
  }
  return config as NuanxinConfig;
}

/** Applies defaults and checks a plugin's config against its schema; errors name the plugin and the pointer. */
function pluginConfig(plugin: PluginDefinition<TSchema>, raw: unknown, base: string, file: string): unknown {
  if (!plugin.config) return raw ?? {};
  const value = Value.Default(plugin.config, Value.Clone(raw ?? {}));
  const problems = schemaProblems(plugin.config, value, file);
  if (problems.length === 0) return value;
  const errors: ErrorDetail[] = problems.map((p) => ({
    path: childPointer(base) + p.pointer,
    code: p.code,
    message: p.message,
    hint: p.hint,
  }));
  const where = errors.map((e) => `${e.path}: ${e.message.en}`).join('; ');
  const whereZh = errors.map((e) => `${e.path}：${e.message['zh-CN']}`).join('；');
  throw fail(
    'NX_ERR_PLUGIN_BAD_CONFIG',
    `插件“${plugin.name}”的配置无效（${file}）：${whereZh}`,
    `Plugin "${plugin.name}" has an invalid config in ${file}: ${where}`,
    errors,
  );
}

/**
 * Loads, checks and sets up the plugins a config lists. Any failure (unknown plugin, bad config,
 * engine version mismatch, missing dependency, cycle, a throwing `setup`) throws an NxError that
 * names the plugin: start-up stops rather than running without it.
 */
export async function loadPlugins(config: unknown, opts: LoadPluginsOptions): Promise<LoadedPlugins> {
  const file = opts.file ?? 'nuanxin.config.json';
  const cfg = checkConfig(config, file);
  const builtins = opts.builtins ?? {};
  const baseDir = opts.baseDir ?? process.cwd();

  type Pending = { def: PluginDefinition<TSchema>; specifier: string; config: unknown; name: string };
  const pending: Pending[] = [];
  for (const [i, entry] of cfg.plugins.entries()) {
    const e = typeof entry === 'string' ? { use: entry } : entry;
    if (e.enabled === false) continue;
    const def = await resolvePlugin(e.use, {
      builtins,
      baseDir,
      ...(opts.importer ? { importer: opts.importer } : {}),
    });
    if (pending.some((p) => p.name === def.name))
      throw fail(
        'NX_ERR_PLUGIN_DUPLICATE',
        `插件“${def.name}”在 ${file} 中出现了两次（/plugins/${i}）`,
        `Plugin "${def.name}" is listed twice in ${file} (/plugins/${i})`,
      );
    if (!satisfies(opts.engineVersion, def.engine))
      throw fail(
        'NX_ERR_PLUGIN_ENGINE_MISMATCH',
        `插件“${def.name}”@${def.version} 需要引擎 ${def.engine}，当前引擎为 ${opts.engineVersion}`,
        `Plugin "${def.name}"@${def.version} needs engine ${def.engine}, this engine is ${opts.engineVersion}`,
      );
    registerPluginCodes(def.name, def.errors);
    const pluginCfg = pluginConfig(def, 'config' in e ? e.config : undefined, `/plugins/${i}/config`, file);
    pending.push({ def, specifier: e.use, config: pluginCfg, name: def.name });
  }

  // An optional dependency orders (and opens its service to) the plugin only when it is loaded.
  const loadedNames = new Set(pending.map((p) => p.name));
  const depsOf = (def: PluginDefinition<TSchema>) => [
    ...(def.dependsOn ?? []),
    ...(def.optionalDependsOn ?? []).filter((n) => loadedNames.has(n) && !(def.dependsOn ?? []).includes(n)),
  ];
  const ordered = orderPlugins(pending.map((p) => ({ ...p, dependsOn: depsOf(p.def) })));
  const operations = opts.operations ?? createOperationRegistry();
  const effects = opts.effects ?? createEffectRegistry();
  const fieldTypes = opts.fieldTypes ?? createFieldTypeRegistry();
  const definitions = createOwnedRegistry<DefinitionKind>('definition kind');
  const core = definitions.forPlugin('engine');
  for (const kind of coreDefinitionKinds(effects)) core.register(kind);
  const routes: PluginRoute[] = [];
  const migrations: PluginMigrations[] = [];
  const seeds: { pluginName: string; seed: PluginSeed }[] = [];
  const hooks = createHookRegistry();
  const services = createServices();
  const logger = opts.logger ?? stderrLogger;
  const runtimeParts: RuntimeParts[] = [];

  for (const p of ordered) {
    const name = p.def.name;
    const own: Record<string, Migration> = {};
    migrations.push({ pluginName: name, migrations: own });
    const api: PluginApi<unknown> = Object.freeze({
      name,
      fieldTypes: pluginFieldTypes(fieldTypes, name),
      operations: pluginOperations(operations, name),
      effects: pluginEffects(effects, name),
      routes: {
        register(plugin) {
          routes.push({ pluginName: name, prefix: `/api/plugins/${name}`, plugin });
        },
        pages(plugin) {
          routes.push({ pluginName: name, prefix: '', plugin: pagesOnly(name, plugin) });
        },
        mount(area, plugin) {
          routes.push({ pluginName: name, prefix: areaPrefix(area, name, routes), plugin });
        },
      },
      definitions: definitions.forPlugin(name),
      migrations: {
        register(migrationName, migration) {
          if (!MIGRATION_NAME.test(migrationName) || own[migrationName])
            throw fail(
              'NX_ERR_PLUGIN_REGISTRATION_CONFLICT',
              `插件“${name}”的迁移名“${migrationName}”无效或重复`,
              `Plugin "${name}" registers migration "${migrationName}": the name is invalid or used twice`,
            );
          own[migrationName] = migration;
        },
      },
      seeds: {
        register(seed) {
          seeds.push({ pluginName: name, seed });
        },
      },
      hooks: hooks.forPlugin(name),
      services: services.forPlugin(name, p.dependsOn, p.def.optionalDependsOn),
      config: p.config,
      log: prefixed(logger, name),
    });
    const before = { fieldTypes: new Set(fieldTypes.names()), operations: new Set(operations.names()) };
    try {
      await p.def.setup(api);
    } catch (e) {
      const reason = pluginFailure(name, 'setup', e).message;
      const err = fail(
        'NX_ERR_PLUGIN_SETUP_FAILED',
        `插件“${name}”初始化失败：${reason}`,
        `Plugin "${name}" failed to set up: ${reason}`,
      );
      err.cause = e;
      throw err;
    }
    runtimeParts.push({
      plugin: name,
      browser: p.def.browser,
      fieldTypes: fieldTypes.names().filter((n) => !before.fieldTypes.has(n)),
      operations: operations.names().filter((n) => !before.operations.has(n)),
    });
  }

  return {
    plugins: ordered.map((p) => ({
      name: p.name,
      version: p.def.version,
      specifier: p.specifier,
      config: p.config,
    })),
    operations,
    effects,
    fieldTypes,
    routes,
    definitions,
    migrations,
    seeds,
    hooks,
    services,
    browser: await browserPlugins(runtimeParts),
  };
}

/** `/api/<area>` for a plugin, refused when the core serves the area or another plugin holds it. */
function areaPrefix(area: string, pluginName: string, routes: readonly PluginRoute[]): string {
  const prefix = `/api/${area}`;
  const holder = routes.find((r) => r.prefix === prefix && r.pluginName !== pluginName)?.pluginName;
  const core = CORE_API_AREAS.includes(area);
  if (!API_AREA.test(area) || core || holder) {
    const by = core ? 'the engine' : (holder ?? '');
    throw fail(
      'NX_ERR_PLUGIN_REGISTRATION_CONFLICT',
      by
        ? `插件“${pluginName}”要挂载的 ${prefix} 已由${core ? '引擎' : `插件“${by}”`}提供`
        : `插件“${pluginName}”的接口区域名“${area}”无效（应为小写字母、数字和连字符）`,
      by
        ? `Plugin "${pluginName}" mounts ${prefix}, which ${core ? 'the engine serves' : `plugin "${by}" holds`}`
        : `Plugin "${pluginName}" mounts an invalid API area "${area}" (lower-case letters, digits and hyphens)`,
    );
  }
  return prefix;
}

/** Wraps a plugin's page routes so none of them can claim a path under `/api/`. */
function pagesOnly(name: string, plugin: FastifyPluginAsync): FastifyPluginAsync {
  return async (app, opts) => {
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api/') || route.url === '/api')
        throw new Error(`Plugin "${name}" may not serve a page under /api/: ${route.url}`);
    });
    await plugin(app, opts);
  };
}

/** Reads `nuanxin.config.json` (or another file) and loads its plugins; relative paths start at its folder. */
export async function loadPluginsFromFile(
  path: string,
  opts: Omit<LoadPluginsOptions, 'file' | 'baseDir'>,
): Promise<LoadedPlugins> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw fail(
      'NX_ERR_PLUGIN_CONFIG_INVALID',
      `无法读取 ${path}：${reason}`,
      `Cannot read ${path}: ${reason}`,
    );
  }
  return loadPlugins(json, { ...opts, file: path, baseDir: dirname(resolve(path)) });
}
