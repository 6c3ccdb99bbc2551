import { type Static, Type } from '@sinclair/typebox';
import { Text } from '../../engine/entry/plugin.ts';

/**
 * The register definition language (`registers/*.json`). This file is the single source of the
 * TypeScript types and of `schemas/register.schema.json`.
 */

/** Register and property ids become quoted SQL identifiers: a strict pattern keeps them plain. */
export const RegisterId = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,23}$',
  description: 'Register id: lower-case letters, digits, underscore; its table is register_<id>',
});
export const PropertyId = Type.String({
  pattern: '^[a-z][A-Za-z0-9]{0,29}$',
  description: 'Property id: a letter, then letters and digits; also the column name',
});

/** How a key or an indexed identifier is normalised before it is compared. */
export const KeyType = Type.Union([Type.Literal('idcard'), Type.Literal('text')], {
  description: 'idcard: trimmed, lower-case x read as X; text: trimmed',
});
export type KeyType = Static<typeof KeyType>;

export const PROPERTY_TYPES = ['text', 'integer', 'number', 'money', 'date', 'boolean', 'codes'] as const;
export const PropertyType = Type.Union(
  PROPERTY_TYPES.map((t) => Type.Literal(t)),
  {
    description:
      'Column type: text, integer, number / money (double precision), date (YYYY-MM-DD text), boolean (0/1), codes (the option values of a multiselect, as a JSON array in a text column)',
  },
);
export type PropertyType = Static<typeof PropertyType>;

export const Property = Type.Object(
  {
    id: PropertyId,
    type: PropertyType,
    label: Text,
    indexed: Type.Optional(
      Type.Boolean({ description: 'Create an index on the column (for filters and reports)' }),
    ),
    pii: Type.Optional(
      Type.Union([Type.Literal('idcard'), Type.Literal('phone')], {
        description: 'Masked for users without the pii permission',
      }),
    ),
  },
  { additionalProperties: false },
);
export type Property = Static<typeof Property>;

export const Reason = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 40 }), label: Text },
  { additionalProperties: false },
);

export const Status = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z_]{0,19}$' }),
    label: Text,
    reasons: Type.Optional(
      Type.Array(Reason, { minItems: 1, description: 'A change to this status must give one of these' }),
    ),
  },
  { additionalProperties: false },
);
export type Status = Static<typeof Status>;

/** A form that writes the register: which fields, when, and how they map to properties. */
export const FormBinding = Type.Object(
  {
    form: Type.String({ minLength: 1, description: 'Form id, e.g. household-survey' }),
    when: Type.Unknown({
      description:
        'When a save writes the register: a JSON Logic rule over { status, data } (e.g. {"in": [{"var": "status"}, ["submitted"]]}), or the short form {"status": ["submitted"]}. A submission enters at its first save the rule accepts',
    }),
    key: Type.String({ description: 'The form field holding the key, e.g. headIdNumber' }),
    baseVersion: Type.Optional(
      Type.String({
        description:
          'The integer form field carrying the record version the form was filled against (0: filled as a new record); absent or empty: no conflict check',
      }),
    ),
    datedBy: Type.Optional(
      Type.String({
        description:
          'The date form field saying when the version is true (e.g. surveyDate): reports as of a date use the versions dated on or before it; absent: the day the version was written',
      }),
    ),
    members: Type.Optional(
      Type.Object(
        {
          table: Type.String({ description: 'The table field listing the members' }),
          field: Type.String({ description: 'The column holding each member’s identifier' }),
        },
        { additionalProperties: false },
      ),
    ),
    properties: Type.Record(PropertyId, Type.String({ minLength: 1 }), {
      description: 'Property id → form field id (a top-level scalar field)',
    }),
  },
  { additionalProperties: false },
);
export type FormBinding = Static<typeof FormBinding>;

export const RegisterDefinition = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: RegisterId,
    version: Type.Integer({ minimum: 1, description: 'Raise it when properties change; the table follows' }),
    title: Text,
    description: Type.Optional(Text),
    key: Type.Object(
      { type: KeyType, label: Text },
      { additionalProperties: false, description: 'Unique within the register after normalisation' },
    ),
    properties: Type.Array(Property, { minItems: 1, maxItems: 64 }),
    members: Type.Optional(
      Type.Object(
        { type: KeyType, label: Text },
        {
          additionalProperties: false,
          description: 'Member index: each member identifier may belong to one active record at a time',
        },
      ),
    ),
    statuses: Type.Array(Status, {
      minItems: 1,
      description: 'Must include active, the status of a new record',
    }),
    forms: Type.Array(FormBinding, { default: [] }),
  },
  { additionalProperties: false },
);
export type RegisterDefinition = Static<typeof RegisterDefinition>;

/** Columns every register table has; a property may not take these names. */
export const CORE_COLUMNS = [
  'id',
  'key',
  'status',
  'status_reason',
  'owner_org_code',
  'owner_org_path',
  'current_version',
  'open_conflicts',
  'merged_into',
  'current_submission',
  'created_at',
  'updated_at',
] as const;

export function registerJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Nuanxin register / 暖心登记簿',
    ...(JSON.parse(JSON.stringify(RegisterDefinition)) as Record<string, unknown>),
  };
}
