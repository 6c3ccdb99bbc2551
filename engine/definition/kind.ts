import type { TSchema } from '@sinclair/typebox';
import type { Text } from '../i18n.ts';
import type { OperationRegistry } from '../logic/types.ts';
import type { FieldTypeRegistry } from '../runtime/field-types/registry.ts';
import type { LoadResult, Problem } from './problem.ts';

/**
 * One kind of definition file (form, overlay, workflow, ruleset, report …). The engine registers
 * its own kinds; a plugin registers the kinds it brings through `api.definitions`. `nuanxin
 * validate`, `nuanxin schemas` and every loader of a folder go through this one description.
 */
export interface DefinitionKind<T = unknown> {
  /** The kind's id, e.g. `report`; also the schema file name (`report.schema.json`). */
  readonly name: string;
  /** Folder name that marks a file as this kind, e.g. `reports` for `reports/payment-list.json`. */
  readonly folder: string;
  readonly title: Text;
  /** The TypeBox schema of a file (the source of `schemas/<name>.schema.json`). */
  readonly schema: TSchema;
  /** The published JSON Schema document, when it is more than the schema with a title (see `kindJsonSchema`). */
  jsonSchema?(): Record<string, unknown>;
  /** Which file names in a folder are of this kind (default: `*.json` but not `*.schema.json`). */
  accepts?(fileName: string): boolean;
  /** Folders holding this kind's definitions where the plugin is configured (checked by default). */
  readonly dirs?: readonly string[];
  /** Checks one parsed file on its own: every problem, each with its pointer and code. */
  load(json: unknown, ctx: LoadContext): LoadResult<T>;
  /** The id others refer to it by (undefined: it cannot be referred to). */
  idOf(value: T): string | undefined;
  /** Names others may refer to inside one definition, by namespace (a workflow's `states` …). */
  names?(value: T): Readonly<Record<string, readonly string[]>>;
  /** What it refers to in other definitions; the host reports each one missing, with its pointer. */
  references?(value: T, view: DefinitionView): readonly Reference[];
  /** Cross-checks a declared reference cannot say (e.g. an overlay applied to its form). */
  check?(value: T, view: DefinitionView, ctx: LoadContext): readonly Problem[];
}

/** What a kind's loader may use: the file name for problems, and the plugins' operations. */
export interface LoadContext {
  readonly file?: string;
  readonly operations?: OperationRegistry;
  readonly fieldTypes?: FieldTypeRegistry;
}

/** A name a definition expects inside the one it refers to. */
export interface NameReference {
  /** Namespace declared by the target kind's `names` (`states`, `fields`, `outputs` …). */
  readonly namespace: string;
  readonly name: string;
  readonly pointer: string;
}

/** A reference to another definition, `kind` + `id`, found at `pointer`. */
export interface Reference {
  readonly kind: string;
  readonly id: string;
  readonly pointer: string;
  readonly names?: readonly NameReference[];
}

/** The definitions known while checking references (the checked files and the configured folders). */
export interface DefinitionView {
  /** The definition, when it loaded without problems. */
  get(kind: string, id: string): unknown;
  /** Whether a file of that kind and id exists, even one with problems of its own. */
  has(kind: string, id: string): boolean;
  ids(kind: string): readonly string[];
  /** The names in a namespace of a loaded definition (undefined when unknown). */
  names(kind: string, id: string, namespace: string): readonly string[] | undefined;
}

/** The default file filter: JSON files that are not JSON Schemas. */
export const acceptsJson = (fileName: string): boolean =>
  fileName.endsWith('.json') && !fileName.endsWith('.schema.json');

/** Whether a kind takes a file name (its own filter or the default). */
export const kindAccepts = (kind: DefinitionKind, fileName: string): boolean =>
  kind.accepts ? kind.accepts(fileName) : acceptsJson(fileName);

/** The JSON Schema file of a kind: its own document, or its schema under a draft-07 header and a title. */
export function kindJsonSchema(kind: DefinitionKind): Record<string, unknown> {
  if (kind.jsonSchema) return kind.jsonSchema();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://nuanxin.dev/schemas/${kind.name}.schema.json`,
    title: `Nuanxin ${kind.title.en} definition / 暖心${kind.title['zh-CN']}定义`,
    // JSON round trip: drops TypeBox's symbol keys, keeps what a JSON Schema reader sees.
    ...(JSON.parse(JSON.stringify(kind.schema)) as Record<string, unknown>),
  };
}
