import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely, Migration } from 'kysely';
import type { DefinitionKind } from '../definition/kind.ts';
import type { CodeTable } from '../errors/codes.ts';
import type { Text } from '../i18n.ts';
import type { OperationRegistry } from '../logic/types.ts';
import type { FieldTypeRegistry } from '../runtime/field-types/registry.ts';
import type { ValidationError } from '../runtime/types.ts';
import type { Database } from '../store/schema.ts';
import type { EffectRegistry } from '../workflow/effects.ts';
import type { HookRegistry } from './hooks.ts';

/**
 * Contracts of the plugin host. A plugin is a plain object made with `definePlugin`; its `setup`
 * receives ONE readonly object of registries (`PluginApi`) and registers what it brings.
 */

/** What a plugin may write to the log; the host prefixes every line with the plugin's name. */
export interface PluginLogger {
  debug(msg: string, details?: Record<string, unknown>): void;
  info(msg: string, details?: Record<string, unknown>): void;
  warn(msg: string, details?: Record<string, unknown>): void;
  error(msg: string, details?: Record<string, unknown>): void;
}

/** Anything registered by name: field types, effects, definition kinds. */
export interface Named {
  readonly name: string;
}

/** An encapsulated Fastify plugin the server mounts under `prefix` (`/api/plugins/<name>` or a declared `/api/<area>`). */
export interface PluginRoute {
  readonly pluginName: string;
  readonly prefix: string;
  readonly plugin: FastifyPluginAsync;
}

/** A plugin's tables: Kysely migrations, tracked per plugin (see `migratePlugins`). */
export interface MigrationCollector {
  /** `name` orders the plugin's migrations (e.g. `001_outbox`); unique within the plugin. */
  register(name: string, migration: Migration): void;
}

/** Demo or reference data a plugin brings (e.g. the demo standards); `nuanxin demo` and `npm start` run it. */
export interface PluginSeed {
  readonly name: string;
  readonly description?: string;
  /** Runs after the plugin's migrations; must be safe to run twice. Returns a one-line summary. */
  run(db: Kysely<Database>): Promise<string | undefined>;
}

export interface SeedCollector {
  register(seed: PluginSeed): void;
}

/** Lifecycle points and what each handler receives. */
export interface HookPayloads {
  beforeSubmissionSave: {
    readonly formId: string;
    readonly submissionId?: string;
    readonly orgCode?: string;
    readonly data: Readonly<Record<string, unknown>>;
    /** The save's open transaction (absent where a save has no store: tests, dry runs). */
    readonly db?: Kysely<Database>;
  };
  afterSubmissionSave: {
    readonly formId: string;
    readonly submissionId: string;
    readonly orgCode?: string;
    /** `draft` or `submitted` (or a later status) after the save. */
    readonly status?: string;
    /** The submission's version after the save (the row is not read again to learn it). */
    readonly version?: number;
    readonly action?: 'create' | 'update';
    readonly data: Readonly<Record<string, unknown>>;
    /** The org path of the submission's unit, as stored with it (the unit is not read again to learn it). */
    readonly orgPath?: string;
    /**
     * The save's own audit entry: where it stands in the log (its id orders every event), when
     * and by whom (the log is not read back to learn it). Absent when the save's writer does not say.
     */
    readonly entry?: { readonly id: number; readonly at: string; readonly actor: string | null };
    /**
     * The open transaction of the save: what a handler writes here is committed with the
     * submission or not at all. Absent where a save has no store (tests, dry runs).
     */
    readonly db?: Kysely<Database>;
  };
  /**
   * Before a workflow action is written (a submit, an approval, a return …), after it was
   * authorized; return located errors to refuse it (422 `NX_ERR_WF_TRANSITION_VETOED`). Not fired
   * for timers.
   */
  beforeTransition: {
    readonly workflowId: string;
    /** The submission id of the case. */
    readonly caseId: string;
    readonly from: string;
    /** The target state (the current one while a countersign still waits for others). */
    readonly to: string;
    readonly action: string;
    readonly orgCode?: string;
    readonly data: Readonly<Record<string, unknown>>;
    /** The open transaction of the save: a handler's writes commit or roll back with it. */
    readonly db: Kysely<Database>;
  };
  /** After a workflow action was written, inside the same transaction. */
  afterTransition: {
    readonly workflowId: string;
    readonly caseId: string;
    readonly from: string;
    readonly to: string;
    readonly action: string;
    readonly orgCode?: string;
    readonly data: Readonly<Record<string, unknown>>;
    /** The open transaction of the save. */
    readonly db: Kysely<Database>;
  };
}

/** What a handler may return: `before*` hooks may veto with located errors (shown like validation errors). */
export interface HookResults {
  beforeSubmissionSave: readonly ValidationError[] | undefined;
  afterSubmissionSave: undefined;
  beforeTransition: readonly ValidationError[] | undefined;
  afterTransition: undefined;
}

export type HookName = keyof HookPayloads;

/** `after*` handlers usually return nothing at all, hence `void`. */
export type HookHandler<K extends HookName> = (
  payload: HookPayloads[K],
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler with no return statement returns void
) => HookResults[K] | void | Promise<HookResults[K] | void>;

/** Collects a plugin's routes; the server mounts each, encapsulated, under `/api/plugins/<name>`. */
export interface RouteCollector {
  register(plugin: FastifyPluginAsync): void;
  /**
   * Pages served at the site root (`/`, `/app/…`), e.g. by the web plugin. A page route under
   * `/api/` is refused at registration, so the API namespace stays the engine's.
   */
  pages(plugin: FastifyPluginAsync): void;
  /**
   * Mounts under `/api/<area>` instead (e.g. `parameters`, `rules`): for a plugin that provides a
   * whole area of the API. An area the core serves, or another plugin already holds, is refused at load.
   */
  mount(area: string, plugin: FastifyPluginAsync): void;
}

/** Collects the kinds of definition files a plugin brings (see `DefinitionKind`). */
export interface DefinitionKindCollector {
  /** A kind's name must be new (the engine's are form, overlay and workflow). */
  // biome-ignore lint/suspicious/noExplicitAny: each kind has its own value type; the host reads them as unknown
  register(kind: DefinitionKind<any>): void;
}

/**
 * Services between plugins: a plugin `provide`s one object; a plugin that names it in
 * `dependsOn` (so it is set up after it) `use`s that object — its own interface of what it needs,
 * never an import of the other plugin's files.
 */
export interface ServiceDirectory {
  /** Offers `service` to dependants; once per plugin. */
  provide(service: object): void;
  /** The service of `pluginName`, which must be in this plugin's `dependsOn` and provide one. */
  use<T extends object>(pluginName: string): T;
  /**
   * The service of a plugin named in `optionalDependsOn` (or `dependsOn`), or undefined when
   * that plugin is not loaded or provides none.
   */
  find<T extends object>(pluginName: string): T | undefined;
}

/** The one object `setup` receives. Every registration is recorded with the plugin that made it. */
export interface PluginApi<C = unknown> {
  readonly name: string;
  /** Field types (e.g. a bank-card number); a throw in a checker becomes NX_ERR_PLUGIN_FAILED. */
  readonly fieldTypes: FieldTypeRegistry;
  readonly operations: OperationRegistry;
  /** Workflow effects, named `<plugin>.<action>`; a throw in `run` becomes NX_ERR_PLUGIN_FAILED. */
  readonly effects: EffectRegistry;
  readonly routes: RouteCollector;
  /** Kinds of definition files (a schema, a loader, references to other kinds); `nuanxin validate` and `nuanxin schemas` use them. */
  readonly definitions: DefinitionKindCollector;
  /** The plugin's own tables; run before the server starts, tracked apart from the core schema. */
  readonly migrations: MigrationCollector;
  /** Demo data for `nuanxin demo` / `npm start`. */
  readonly seeds: SeedCollector;
  readonly hooks: Pick<HookRegistry, 'on'>;
  /** What it offers the plugins that depend on it, and what it uses of those it depends on. */
  readonly services: ServiceDirectory;
  /** The plugin's config from `nuanxin.config.json`, validated against its schema, defaults applied. */
  readonly config: C;
  readonly log: PluginLogger;
}

/** A plugin as written by its author. */
export interface PluginDefinition<S extends TSchema = TSchema> {
  /** kebab-case; also the route prefix `/api/plugins/<name>` and the prefix of its effects. */
  readonly name: string;
  /** The plugin's own version, `x.y.z`. */
  readonly version: string;
  /** Engine versions it supports, e.g. `^0.1.0`. */
  readonly engine: string;
  /** Names of plugins that must be set up first. */
  readonly dependsOn?: readonly string[];
  /** Names of plugins set up first when they are loaded too, whose services it `find`s (it works without them). */
  readonly optionalDependsOn?: readonly string[];
  /** TypeBox schema of its config block. */
  readonly config?: S;
  /** Its own error codes, `NX_ERR_<NAME>_…`, registered as it loads; throw them with `defineErrors(table)`. */
  readonly errors?: CodeTable;
  readonly description?: Text;
  /**
   * Its browser-safe module, whose `default` export is a `RuntimeExtension` registering the field
   * types and operations the pages need: a `file:` URL or an absolute path, usually
   * `new URL('./browser.ts', import.meta.url)`. The web bundle runs it in every page, so a form
   * using them validates and computes in the browser as on the server. Without it the plugin still
   * loads, and the page says that it cannot check its field types.
   */
  readonly browser?: string | URL;
  setup(api: PluginApi<Static<S>>): void | Promise<void>;
}
