import { type Static, Type } from '@sinclair/typebox';
import { Text } from '../../engine/entry/plugin.ts';

/**
 * The ruleset language: facts computed from a submission, named rules over facts and parameters,
 * and outputs computed from both. This TypeBox schema is the only source of the type.
 *
 * Names a rule may read (`{"var": …}`): `input.<fieldId>` (the submission data), a parameter
 * alias, an earlier fact, `rules.<ruleId>` and `outputs.<outputId>` (in outputs), `ctx.asOf`,
 * `ctx.orgCode`, `ctx.area`.
 */

const Logic = Type.Unknown({ description: 'JSON Logic rule' });
const Name = Type.String({ pattern: '^[a-z][A-Za-z0-9_]*$', maxLength: 64, description: 'camelCase name' });

export const ParameterType = Type.Union(
  [Type.Literal('money'), Type.Literal('number'), Type.Literal('integer'), Type.Literal('boolean')],
  {
    description:
      'money: yuan with at most 2 decimals (fen); number: any finite number; integer: whole numbers; boolean: 0 (off) or 1 (on)',
  },
);
export type ParameterType = Static<typeof ParameterType>;

export const OrgLevel = Type.Union([
  Type.Literal('province'),
  Type.Literal('city'),
  Type.Literal('county'),
  Type.Literal('township'),
  Type.Literal('village'),
]);
export type OrgLevel = Static<typeof OrgLevel>;

/**
 * A parameter the ruleset reads, declared once: what it is called, in what unit, what values are
 * sane, and where it may be set. `params set`, the API and the standards page refuse a value for a
 * name no loaded ruleset declares, out of range, or for an area or level not listed.
 */
export const RulesetParameter = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9_]*$',
      maxLength: 64,
      description: 'Parameter name in the parameter store, e.g. dibao_standard',
    }),
    label: Text,
    description: Type.Optional(Text),
    unit: Type.Optional(Type.String({ description: 'e.g. 元/人/月, 倍, 月' })),
    type: ParameterType,
    minimum: Type.Optional(Type.Number({ description: 'Smallest value accepted (inclusive)' })),
    maximum: Type.Optional(Type.Number({ description: 'Largest value accepted (inclusive)' })),
    areas: Type.Optional(
      Type.Array(Type.Union([Type.Literal('urban'), Type.Literal('rural'), Type.Literal('both')]), {
        minItems: 1,
        uniqueItems: true,
        description:
          'Area series a value may be set for: urban, rural, both (one value for both); all three when omitted',
      }),
    ),
    levels: Type.Optional(
      Type.Array(OrgLevel, {
        minItems: 1,
        uniqueItems: true,
        description:
          'Org levels that may set a value (a county may raise the province standard); all when omitted',
      }),
    ),
    default: Type.Optional(Type.Number({ description: 'Used when no org unit defines the parameter' })),
  },
  { additionalProperties: false },
);
export type RulesetParameter = Static<typeof RulesetParameter>;

export const RulesetFact = Type.Object(
  {
    id: Name,
    label: Text,
    unit: Type.Optional(Type.String()),
    value: Logic,
  },
  { additionalProperties: false },
);
export type RulesetFact = Static<typeof RulesetFact>;

export const RulesetRule = Type.Object(
  {
    id: Name,
    label: Text,
    when: Logic,
    reason: Type.Object(
      {
        'zh-CN': Type.String({ minLength: 1 }),
        en: Type.String({ minLength: 1 }),
      },
      {
        additionalProperties: false,
        description: 'Why, when the rule holds; {{name}} placeholders show fact and parameter values',
      },
    ),
    reasonIfFailed: Type.Optional(Text),
  },
  { additionalProperties: false },
);
export type RulesetRule = Static<typeof RulesetRule>;

export const RulesetOutput = Type.Object(
  {
    id: Name,
    label: Type.Optional(Text),
    unit: Type.Optional(Type.String({ description: 'Shown after the value, e.g. 元/月, 人' })),
    /** Words for the values it can take (a hardship type stored in Chinese, shown in the page language). */
    values: Type.Optional(
      Type.Array(
        Type.Object(
          { value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), label: Text },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    value: Logic,
  },
  { additionalProperties: false },
);
export type RulesetOutput = Static<typeof RulesetOutput>;

export const Ruleset = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 64, description: 'kebab-case ruleset id' }),
    version: Type.Integer({ minimum: 1 }),
    title: Text,
    description: Type.Optional(Text),
    /** The form whose submissions the ruleset reads. */
    form: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*$' })),
    /**
     * The input field holding the date the facts were gathered (e.g. the survey date): a
     * decision on a submission is dated by it (the standards in force that day), and a
     * decision as of an earlier date finds the submission not yet surveyed.
     */
    datedBy: Type.Optional(Type.String({ pattern: '^[a-zA-Z][A-Za-z0-9_]*$', maxLength: 64 })),
    /** Urban or rural, read from the submission; selects the area series of each parameter. */
    area: Type.Optional(Logic),
    /** Parameters by the alias rules use, e.g. `"standard": { "name": "dibao_standard" }`. */
    parameters: Type.Record(Type.String({ pattern: '^[a-z][A-Za-z0-9_]*$' }), RulesetParameter),
    facts: Type.Array(RulesetFact),
    rules: Type.Array(RulesetRule, { minItems: 1 }),
    outputs: Type.Array(RulesetOutput, { minItems: 1 }),
  },
  { additionalProperties: false, $id: 'https://nuanxin.dev/schemas/ruleset.schema.json' },
);
export type Ruleset = Static<typeof Ruleset>;

/** Names a ruleset may not use for a parameter alias or a fact: they are scopes of their own. */
export const RESERVED_NAMES = ['input', 'rules', 'outputs', 'ctx'] as const;

/** `schemas/ruleset.schema.json`: what an editor uses for files in `rulesets/`. */
export function rulesetJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Nuanxin ruleset / 暖心规则集',
    // JSON round trip: drops TypeBox's symbol keys, keeps what a JSON Schema reader sees.
    ...(JSON.parse(JSON.stringify(Ruleset)) as Record<string, unknown>),
  };
}
