import { type Static, type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import { Text } from '../i18n.ts';

/**
 * The workflow definition language. This file is the single source of both the TypeScript types
 * and the JSON Schema (`schemas/workflow.schema.json`) that a workflow file names in `$schema`.
 */

/** Org levels, top down. A transition's `level` is relative to the case's own position in this tree. */
export const ORG_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** Roles the store knows by default; `loadWorkflow({ roles })` accepts another list. */
export const DEFAULT_ROLES = [
  'admin',
  'field_staff',
  'reviewer',
  'finance',
  'bank',
  'hrss',
  'viewer',
] as const;

export const TRANSITION_KINDS = ['normal', 'return', 'reject', 'withdraw'] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

export const INPUT_TYPES = ['text', 'money', 'date', 'integer'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

const Id = (description: string) =>
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 64, description });

const literals = <T extends string>(values: readonly T[], description: string): TUnion<TLiteral<T>[]> =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

/** ISO 8601 duration, checked in detail by the loader (`P7D`, `PT12H`, `P1M`, `P1Y2M3DT4H5M6S`). */
export const Duration = Type.String({
  description: 'ISO 8601 duration: P7D, PT12H, P1M …',
  examples: ['P7D', 'PT12H', 'P1M'],
});

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const Timer = Type.Object(
  {
    after: Duration,
    action: Type.String({ minLength: 1, description: 'Transition (from this state) the timer fires' }),
  },
  {
    additionalProperties: false,
    description: 'Fires `action` once `after` has passed since the state was entered',
  },
);
export type Timer = Static<typeof Timer>;

export const ReportPeriod = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'Period key, e.g. progress-2021-06' }),
    due: DateString,
    label: Type.Optional(Text),
  },
  { additionalProperties: false, description: 'A reporting period and its due date (inclusive, China time)' },
);
export type ReportPeriod = Static<typeof ReportPeriod>;

export const Deadline = Type.Object(
  {
    after: Type.Optional(Duration),
    periods: Type.Optional(Type.Array(ReportPeriod, { minItems: 1 })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description:
      "Marks a task in this state overdue: either `after` a duration since the state was entered, or per reporting period (`periods`: the instance's period's due date)",
  },
);
export type Deadline = Static<typeof Deadline>;

export const StateDefinition = Type.Object(
  {
    label: Text,
    description: Type.Optional(Text),
    final: Type.Optional(Type.Boolean({ description: 'No transition leaves a final state' })),
    timer: Type.Optional(Timer),
    deadline: Type.Optional(Deadline),
    assignees: Type.Optional(Text),
  },
  { additionalProperties: false },
);
export type StateDefinition = Static<typeof StateDefinition>;

export const Actor = Type.Object(
  {
    role: Type.String({ minLength: 1, description: 'admin, field_staff, reviewer, finance, bank, hrss …' }),
    level: literals(
      ORG_LEVELS,
      "The actor's org unit is the case's ancestor at this level (or the case's own unit)",
    ),
  },
  { additionalProperties: false },
);
export type Actor = Static<typeof Actor>;

export const Effect = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'A registered effect, e.g. rules.evaluate' }),
    with: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "The effect's parameters" }),
    ),
  },
  { additionalProperties: false },
);
export type Effect = Static<typeof Effect>;

export const Input = Type.Object(
  {
    id: Id('Key of the value in the action input'),
    type: literals(INPUT_TYPES, 'text, money (yuan, 2 decimals), date (YYYY-MM-DD) or integer'),
    label: Text,
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Input = Static<typeof Input>;

const StateRef = Type.String({ minLength: 1, description: 'A state id' });

export const Transition = Type.Object(
  {
    action: Id('Action name, unique per source state'),
    label: Text,
    from: Type.Union([StateRef, Type.Array(StateRef, { minItems: 1 })]),
    to: StateRef,
    by: Type.Array(Actor, {
      description: 'Who may take it (any of). Empty: only a timer fires it',
    }),
    guard: Type.Optional(
      Type.Unknown({ description: 'JSON Logic over the submission ({"var":"field"}) and {"var":"ctx.…"}' }),
    ),
    effects: Type.Optional(Type.Array(Effect, { description: 'Run in order when the transition fires' })),
    input: Type.Optional(Type.Array(Input, { description: 'What the actor fills when taking it' })),
    kind: Type.Optional(literals(TRANSITION_KINDS, 'normal (default), return, reject, withdraw')),
    countersign: Type.Optional(
      Type.Object(
        { roles: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
        {
          additionalProperties: false,
          description: 'Every one of these roles must approve (one person each) before it fires',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Transition = Static<typeof Transition>;

export const StateId = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_]*$',
  maxLength: 64,
  description: 'State id',
});

/** The top-level properties; `states` is a map from state id to its definition. */
const workflowProperties = {
  $schema: Type.Optional(Type.String()),
  id: Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 64, description: 'kebab-case workflow id' }),
  version: Type.Integer({ minimum: 1 }),
  title: Text,
  description: Type.Optional(Text),
  form: Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: 'Id of the form it runs on' }),
  initial: StateRef,
  states: Type.Record(StateId, StateDefinition, {
    description: 'State id → state',
    additionalProperties: false,
  }),
  transitions: Type.Array(Transition, { minItems: 1 }),
};

export const WorkflowDefinition = Type.Object(workflowProperties, {
  additionalProperties: false,
  $id: 'https://nuanxin.dev/schemas/workflow.schema.json',
});
export type WorkflowDefinition = Static<typeof WorkflowDefinition>;

/** The JSON Schema document for workflow files (what `nuanxin schemas` writes). */
export function workflowJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Nuanxin workflow definition / 暖心流程定义',
    ...(JSON.parse(JSON.stringify(WorkflowDefinition as TSchema)) as Record<string, unknown>),
  };
}

/**
 * The top level with `states` left open: the loader checks each state against `StateDefinition`
 * on its own, so that a mistake inside a state is reported at its exact pointer.
 */
export const WorkflowOutline = Type.Object(
  { ...workflowProperties, states: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: false },
);
