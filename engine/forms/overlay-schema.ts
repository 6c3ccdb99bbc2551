import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Constraint, Field, FieldId, Logic, Option } from '../definition/form-schema.ts';
import { Text } from '../i18n.ts';

/**
 * The overlay language: how a province or city adapts a base form for its subtree without
 * copying it. Operations apply in order; the result must still load as a form.
 */

/** A field id, or `table.column` for a column of a table. */
export const FieldRef = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)?$',
  description: 'field id, or table.column',
});

const op = <T extends string, P extends Parameters<typeof Type.Object>[0]>(
  name: T,
  props: P,
  description: string,
) => Type.Object({ op: Type.Literal(name), ...props }, { additionalProperties: false, description });

const addFieldOp = <F extends TSchema>(field: F) =>
  op(
    'addField',
    {
      field,
      after: Type.Optional(FieldRef),
      into: Type.Optional(FieldId),
    },
    'Add a field after a given field (same container), or at the end of a section, group or table (`into`)',
  );
export const AddFieldOp = addFieldOp(Field);
export const HideFieldOp = op(
  'hideField',
  { field: FieldRef },
  'Hide a field (it is never shown nor required)',
);
export const RelabelOp = op(
  'relabel',
  { field: FieldRef, label: Text, help: Type.Optional(Text) },
  'Change the label (and help) of a field or the title of a section',
);
export const SetOptionsOp = op(
  'setOptions',
  { field: FieldRef, options: Type.Array(Option, { minItems: 1 }) },
  'Replace the options of a select or multiselect field',
);
export const TightenOp = op(
  'tighten',
  {
    field: Type.Optional(FieldRef),
    required: Type.Optional(Type.Literal(true)),
    min: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    max: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    pattern: Type.Optional(Type.String()),
    constraint: Type.Optional(Constraint),
  },
  'Make a check stricter: required, a higher min, a lower max, a pattern, or one more constraint (form-level without `field`)',
);
export const SetCalculationOp = op(
  'setCalculation',
  { field: FieldRef, calculate: Logic },
  'Replace the calculation of a computed field',
);

export const OverlayOperation = Type.Union([
  AddFieldOp,
  HideFieldOp,
  RelabelOp,
  SetOptionsOp,
  TightenOp,
  SetCalculationOp,
]);
export type OverlayOperation = Static<typeof OverlayOperation>;

const overlay = <O extends TSchema>(operation: O, options: { $id?: string }) =>
  Type.Object(
    {
      $schema: Type.Optional(Type.String()),
      /** Id of the base form this overlay adapts. */
      form: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
      description: Type.Optional(Text),
      operations: Type.Array(operation, { minItems: 1 }),
    },
    { additionalProperties: false, ...options },
  );

export const FormOverlay = overlay(OverlayOperation, {
  $id: 'https://nuanxin.dev/schemas/overlay.schema.json',
});
export type FormOverlay = Static<typeof FormOverlay>;

/**
 * The same language with an added field checked only for `id` and `type`: the field itself is
 * checked by the form loader on the result, whose problems are pointed back into the overlay.
 */
export const FormOverlayShape = overlay(
  Type.Union([
    addFieldOp(Type.Object({ id: FieldId, type: Type.String() }, { additionalProperties: true })),
    HideFieldOp,
    RelabelOp,
    SetOptionsOp,
    TightenOp,
    SetCalculationOp,
  ]),
  {},
);
