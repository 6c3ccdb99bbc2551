import { type Static, Type } from '@sinclair/typebox';
import { rulesError } from './errors.ts';
import { orgChain } from './org-chain.ts';

/**
 * Parameters are named standards (低保标准, factors …) kept as dated series per org unit and
 * area type. A value is in force from `validFrom` until the next value of the same series.
 * Resolution as of a date walks from the org unit up to the province and takes the nearest unit
 * that has a value in force: a county overrides its city, which overrides the province.
 */

export const AreaType = Type.Union([Type.Literal('urban'), Type.Literal('rural')]);
export type AreaType = Static<typeof AreaType>;

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const ParameterRecord = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    orgCode: Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$', description: 'GB/T 2260 code of the org unit' }),
    area: Type.Union([AreaType, Type.Null()], { description: 'urban, rural, or null for both' }),
    validFrom: DateString,
    value: Type.Number(),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ParameterRecord = Static<typeof ParameterRecord>;

/** Which records a decision can use: the values of these org units in force on or before a date. */
export interface ParameterScope {
  /** The org units to read (the chain a decision resolves along). */
  readonly orgCodes?: readonly string[];
  /** YYYY-MM-DD: values from a later date are left out. */
  readonly asOf?: string;
}

/** Where parameter records come from: a file now, the database later. */
export interface ParameterSource {
  list(name: string): readonly ParameterRecord[] | Promise<readonly ParameterRecord[]>;
  /**
   * The records of every named series in one read (a store: one statement, not one per name),
   * at least those within `scope`; more may come back (resolution picks what applies).
   */
  listMany?(
    names: readonly string[],
    scope?: ParameterScope,
  ): readonly ParameterRecord[] | Promise<readonly ParameterRecord[]>;
}

export interface ParameterQuery {
  readonly name: string;
  readonly orgCode: string;
  readonly area: AreaType | null;
  /** YYYY-MM-DD. */
  readonly asOf: string;
  /** The org unit and its ancestors, nearest first; derived from the code when omitted. */
  readonly chain?: readonly string[];
}

/** A resolved value and the record it came from, so an explanation can say where a standard is set. */
export interface ResolvedParameter {
  readonly name: string;
  readonly value: number;
  readonly orgCode: string;
  readonly area: AreaType | null;
  readonly validFrom: string;
  /** The series the value belongs to: `dibao_standard@511923/rural`. */
  readonly series: string;
  /** The stored row the value was read from (absent for values from a file). */
  readonly id?: string;
}

/** The id of a series (name, org unit, area), as decisions record it. */
export const seriesIdOf = (r: { name: string; orgCode: string; area: AreaType | null }): string =>
  `${r.name}@${r.orgCode}/${r.area ?? 'both'}`;

/**
 * The value in force for `q`, or undefined when no unit in the chain has one. Within one org unit
 * the series for the requested area is preferred to the series for both areas (`area: null`).
 */
export function resolveParameter(
  records: readonly ParameterRecord[],
  q: ParameterQuery,
): ResolvedParameter | undefined {
  const chain = q.chain ?? orgChain(q.orgCode);
  for (const org of chain) {
    const areas: (AreaType | null)[] = q.area === null ? [null] : [q.area, null];
    for (const area of areas) {
      let best: ParameterRecord | undefined;
      for (const r of records) {
        if (r.name !== q.name || r.orgCode !== org || r.area !== area || r.validFrom > q.asOf) continue;
        if (!best || r.validFrom > best.validFrom) best = r;
      }
      if (best) {
        const id = (best as { id?: unknown }).id;
        return {
          name: best.name,
          value: best.value,
          orgCode: best.orgCode,
          area: best.area,
          validFrom: best.validFrom,
          series: seriesIdOf(best),
          ...(typeof id === 'string' ? { id } : {}),
        };
      }
    }
  }
  return undefined;
}

/** A synchronous lookup over records loaded once (what the evaluator and what-if use). */
export type ParameterLookup = (q: ParameterQuery) => ResolvedParameter | undefined;

export function lookupOf(records: readonly ParameterRecord[]): ParameterLookup {
  // Many households share a unit and a date: remember answers (records are fixed for this lookup).
  const memo = new Map<string, ResolvedParameter | undefined>();
  return (q) => {
    const key = `${q.name}|${q.orgCode}|${q.area}|${q.asOf}|${q.chain?.join(',') ?? ''}`;
    if (memo.has(key)) return memo.get(key);
    const found = resolveParameter(records, q);
    memo.set(key, found);
    return found;
  };
}

/**
 * Reads the named series from a source once, so evaluating many households does not query per
 * household; a source that reads many series at once (`listMany`) reads them in one go, within
 * `scope` when one is given.
 */
export async function loadParameterRecords(
  source: ParameterSource,
  names: readonly string[],
  scope?: ParameterScope,
): Promise<ParameterRecord[]> {
  if (source.listMany) return [...(await source.listMany([...new Set(names)], scope))];
  const out: ParameterRecord[] = [];
  for (const name of new Set(names)) out.push(...(await source.list(name)));
  return out;
}

/** An in-memory source; `set` adds a record or replaces the one of the same series and date. */
export function createMemoryParameterSource(initial: readonly ParameterRecord[] = []) {
  const records: ParameterRecord[] = [];
  const source = {
    list: (name: string): ParameterRecord[] => records.filter((r) => r.name === name),
    all: (): ParameterRecord[] => [...records],
    set(record: ParameterRecord): void {
      if (!Number.isFinite(record.value)) {
        throw rulesError('NX_ERR_RULES_INVALID_PARAMETER', {
          'zh-CN': `参数 ${record.name} 的值必须是有限数字`,
          en: `Parameter ${record.name} must be a finite number`,
        });
      }
      const i = records.findIndex(
        (r) =>
          r.name === record.name &&
          r.orgCode === record.orgCode &&
          r.area === record.area &&
          r.validFrom === record.validFrom,
      );
      if (i >= 0) records[i] = record;
      else records.push(record);
    },
  };
  for (const r of initial) source.set(r);
  return source;
}
export type MemoryParameterSource = ReturnType<typeof createMemoryParameterSource>;

export const ParameterFile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    parameters: Type.Array(ParameterRecord),
  },
  { additionalProperties: false },
);
export type ParameterFile = Static<typeof ParameterFile>;
