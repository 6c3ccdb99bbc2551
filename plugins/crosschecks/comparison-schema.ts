import { type Static, Type } from '@sinclair/typebox';
import { Text } from '../../engine/entry/plugin.ts';

/**
 * The comparison language (`comparisons/*.json`): a list compared with a register by ID number,
 * and rules (JSON Logic) that turn a compared row into a finding. This file is the single source
 * of the TypeScript types and of `schemas/comparison.schema.json`.
 *
 * A rule reads `matched` (the ID number is a head or member of a record in the delivery's
 * area), `match.role` (`head` / `member`), `list.<column>`, `register.<property>`,
 * `register.status`, `register.statusReason`, `benefits.active` (active benefits of the
 * household; only in rules that declare `needs: ["benefits"]`) and `ctx.today`.
 */

export const FindingType = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,31}$',
  description: 'What the village is asked to do: survey, review, correct, suspend-benefit, re-decide …',
});

export const Severity = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
export type Severity = Static<typeof Severity>;

export const Needs = Type.Union([Type.Literal('benefits')], {
  description: 'benefits: the rule reads benefits.active and runs only where the benefits table exists',
});

export const ComparisonRule = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
    title: Text,
    type: FindingType,
    severity: Severity,
    when: Type.Unknown({ description: 'JSON Logic: true makes a finding for the row' }),
    compare: Type.Array(Type.String({ pattern: '^(list|register|match|benefits)\\.[A-Za-z][A-Za-z0-9]*$' }), {
      minItems: 1,
      maxItems: 12,
      description:
        'The values shown with the finding (its explanation); a finding closed earlier opens again when one of them changes',
    }),
    dueDays: Type.Integer({ minimum: 1, maximum: 366, description: 'Days from the run to the due date' }),
    needs: Type.Optional(Type.Array(Needs, { maxItems: 1 })),
  },
  { additionalProperties: false },
);
export type ComparisonRule = Static<typeof ComparisonRule>;

export const ComparisonDefinition = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
    version: Type.Integer({ minimum: 1 }),
    title: Text,
    description: Type.Optional(Text),
    list: Type.String({ description: 'The list compared (lists/<id>.json)' }),
    register: Type.String({ description: 'The register compared with, by its key and member index' }),
    rules: Type.Array(ComparisonRule, { minItems: 1, maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type ComparisonDefinition = Static<typeof ComparisonDefinition>;

export function comparisonJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Nuanxin comparison / 暖心信息比对规则',
    ...(JSON.parse(JSON.stringify(ComparisonDefinition)) as Record<string, unknown>),
  };
}
