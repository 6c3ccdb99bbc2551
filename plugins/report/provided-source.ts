import type { Kysely } from 'kysely';
import { type Text, text } from '../../engine/entry/plugin.ts';
import type { Database } from '../../engine/entry/server.ts';
import type { ReportContext } from './context.ts';
import { reportError } from './errors.ts';
import type { SourceSubmission } from './source.ts';

/**
 * Sources other plugins provide (`source.provided` in a report definition, e.g.
 * `payments.batch-lines`): items that are not form submissions — payment lines, say — read by
 * list and aggregate reports like submissions (`data.x`, grouped and scoped by their org unit).
 * A plugin registers one through the report plugin's service (it lists `report` in `dependsOn`):
 *
 * @example api.services.use<ReportSources>('report').provideSource({ name: 'payments.batch-lines', items })
 */

/** One item: its unit (scope and hierarchy) and the values the report's columns read as `data.x`. */
export interface ProvidedItem {
  readonly id: string;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly data: Record<string, unknown>;
}

export interface ProvidedQuery {
  /** The subtree asked for (the caller's, or a unit in it). */
  readonly orgPath: string;
  /** The report's period (list reports: YYYY-MM or a date; aggregate reports: required). */
  readonly period?: string | undefined;
  readonly asOf: string;
  /** Documents (`source.familyLines`): the printed family's household key (the head's ID number). */
  readonly household?: string | undefined;
  /** Whether the viewer may see personal identifiers whole: the provider masks what it alone knows to be personal. */
  readonly pii: boolean;
}

export interface ProvidedSource {
  /** `<plugin>.<name>`. */
  readonly name: string;
  readonly title?: Text;
  /** Pages of items of the subtree, in org-path order (subtotals per county follow it). */
  items(db: Kysely<Database>, q: ProvidedQuery): AsyncIterable<readonly ProvidedItem[]>;
}

/** The report plugin's service: how another plugin adds a source. */
export interface ReportSources {
  provideSource(source: ProvidedSource): void;
}

export const PROVIDED_NAME = '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$';

/** The registry the plugin keeps; the report service reads it when a report runs. */
export function createProvidedSources() {
  const byName = new Map<string, ProvidedSource>();
  return {
    provideSource(source: ProvidedSource) {
      if (!new RegExp(PROVIDED_NAME).test(source.name) || byName.has(source.name))
        throw new TypeError(`report source "${source.name}" is invalid or provided twice`);
      byName.set(source.name, source);
    },
    get: (name: string) => byName.get(name),
  };
}

/** A provided source's pages as the records list and aggregate reports read. */
export async function* providedPages(
  ctx: ReportContext,
  name: string,
  q: ProvidedQuery,
): AsyncGenerator<SourceSubmission[]> {
  const source = ctx.sources?.(name);
  if (!source)
    throw reportError(
      'NX_ERR_REPORT_NOT_FOUND',
      text(
        `数据源“${name}”不可用（提供它的插件未加载）`,
        `Source "${name}" is not available (its plugin is not loaded)`,
      ),
    );
  for await (const page of source.items(ctx.db, q))
    yield page.map((i) => ({
      id: i.id,
      formId: name,
      orgCode: i.orgCode,
      orgPath: i.orgPath,
      status: 'provided',
      period: null,
      data: i.data,
      createdAt: '',
      updatedAt: '',
    }));
}
