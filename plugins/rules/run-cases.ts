import { type Static, Type } from '@sinclair/typebox';
import { schemaProblems } from '../../engine/entry/definition.ts';
import { type LoadResult, loaded, rejected } from '../../engine/entry/plugin.ts';
import type { CompiledRuleset } from './compile-ruleset.ts';
import { lookupOf, ParameterRecord } from './parameters.ts';
import { proposeParameters } from './what-if.ts';

/**
 * Ruleset test cases (`*.cases.json`): a household's data and the outputs expected of it, so an
 * administrator who edits a ruleset or a standard can see at once what changed.
 */

const OrgCode = Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' });
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const RuleCase = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    /** The sentence of the source (e.g. the seed's 附件3 说明1) the case checks, quoted. */
    cites: Type.Optional(Type.String({ minLength: 1 })),
    orgCode: Type.Optional(OrgCode),
    asOf: Type.Optional(DateString),
    /** Parameter values laid over the file's for this case only. */
    parameters: Type.Optional(Type.Array(ParameterRecord)),
    data: Type.Record(Type.String(), Type.Unknown()),
    /** Expected outputs; outputs not named are not checked. */
    expect: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export const RuleCases = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    ruleset: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    defaults: Type.Object({ orgCode: OrgCode, asOf: DateString }, { additionalProperties: false }),
    cases: Type.Array(RuleCase, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type RuleCases = Static<typeof RuleCases>;

export interface CaseMismatch {
  readonly output: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export interface CaseResult {
  readonly name: string;
  readonly ok: boolean;
  readonly mismatches: readonly CaseMismatch[];
  /** Set when evaluation itself failed (e.g. a missing parameter). */
  readonly error?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function runCases(
  compiled: CompiledRuleset,
  doc: RuleCases,
  records: readonly ParameterRecord[],
): CaseResult[] {
  const base = lookupOf(records);
  return doc.cases.map((c) => {
    const parameters = c.parameters ? lookupOf(proposeParameters(records, c.parameters)) : base;
    try {
      const d = compiled.evaluate(c.data, {
        orgCode: c.orgCode ?? doc.defaults.orgCode,
        asOf: c.asOf ?? doc.defaults.asOf,
        parameters,
      });
      const mismatches = Object.entries(c.expect)
        .filter(([k, v]) => !same(d.outputs[k], v))
        .map(([output, expected]) => ({ output, expected, actual: d.outputs[output] }));
      return { name: c.name, ok: mismatches.length === 0, mismatches };
    } catch (e) {
      return { name: c.name, ok: false, mismatches: [], error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** `schemas/ruleset-cases.schema.json`, for `*.cases.json` files (they name it in `$schema`). */
export function ruleCasesJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nuanxin.dev/schemas/ruleset-cases.schema.json',
    title: 'Nuanxin ruleset test cases / 暖心规则集测试用例',
    ...(JSON.parse(JSON.stringify(RuleCases)) as Record<string, unknown>),
  };
}

/** Checks a cases file against its schema (what `nuanxin validate` runs for the `ruleset-cases` kind). */
export function loadRuleCases(json: unknown, file?: string): LoadResult<RuleCases> {
  const problems = schemaProblems(RuleCases, json, file);
  return problems.length > 0 ? rejected(problems) : loaded(json as RuleCases);
}
