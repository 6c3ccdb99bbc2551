import { type Static, Type } from '@sinclair/typebox';
import { Text } from '../../engine/entry/plugin.ts';

/**
 * The department-list language (`lists/*.json`): a list another department delivers (the
 * rural-revitalisation bureau's monitoring list, the disabled persons' federation's grades …),
 * its columns and types, which column holds the ID number. This file is the single source of
 * the TypeScript types and of `schemas/list.schema.json`.
 */

/** List ids name a generated table (`list_<id>`, hyphens as underscores): a strict pattern keeps them plain. */
export const ListId = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,31}$',
  description:
    'List id: lower-case letters, digits, hyphens; its table is list_<id> (hyphens as underscores)',
});
export const ColumnId = Type.String({
  pattern: '^[a-z][A-Za-z0-9]{0,29}$',
  description: 'Column id: a letter, then letters and digits; also the SQL column name',
});

export const COLUMN_TYPES = [
  'text',
  'idcard',
  'integer',
  'number',
  'money',
  'date',
  'boolean',
  'select',
  'orgunit',
] as const;
export const ColumnType = Type.Union(
  COLUMN_TYPES.map((t) => Type.Literal(t)),
  {
    description:
      'text; idcard (GB 11643 check digit); integer; number / money (double precision); date (YYYY-MM-DD); boolean (是/否, true/false, 1/0); select (one of options); orgunit (GB/T 2260 code)',
  },
);
export type ColumnType = Static<typeof ColumnType>;

export const ColumnOption = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 40 }), label: Text },
  { additionalProperties: false },
);

export const ListColumn = Type.Object(
  {
    id: ColumnId,
    type: ColumnType,
    label: Text,
    headers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
        maxItems: 8,
        description: 'Header texts the department uses for this column (besides the id and the labels)',
      }),
    ),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(ColumnOption, { minItems: 1, maxItems: 100 })),
    pii: Type.Optional(
      Type.Union([Type.Literal('idcard'), Type.Literal('phone')], {
        description: 'Masked for users without the pii permission (the ID-number column always is)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListColumn = Static<typeof ListColumn>;

export const ListDefinition = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: ListId,
    version: Type.Integer({ minimum: 1, description: 'Raise it when columns are added; the table follows' }),
    title: Text,
    description: Type.Optional(Text),
    department: Type.Object(
      {
        id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }),
        name: Text,
      },
      { additionalProperties: false, description: 'The source department' },
    ),
    idColumn: Type.String({ description: 'The column holding the ID number (type idcard)' }),
    areaColumn: Type.Optional(
      Type.String({
        description:
          'The column holding the person’s village or township code (type orgunit): the owner of a finding about someone never surveyed',
      }),
    ),
    validDays: Type.Integer({
      minimum: 1,
      maximum: 3660,
      description: 'How many days a delivery stays valid after it was imported',
    }),
    columns: Type.Array(ListColumn, { minItems: 1, maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type ListDefinition = Static<typeof ListDefinition>;

/** Columns every list table has; a column may not take these names. */
export const LIST_CORE_COLUMNS = ['delivery_id', 'row_no', 'id_number', 'area_code'] as const;

export function listJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Nuanxin department list / 暖心部门比对名单',
    ...(JSON.parse(JSON.stringify(ListDefinition)) as Record<string, unknown>),
  };
}
