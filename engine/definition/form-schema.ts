import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Text } from '../i18n.ts';

/**
 * The form definition language. This file is the single source of both the TypeScript types
 * and the JSON Schema (`schemas/form.schema.json`) that a definition names in `$schema`.
 */

/** A JSON Logic rule (https://jsonlogic.com) plus Nuanxin's registered operations. */
export const Logic = Type.Unknown({ description: 'JSON Logic rule' });
export type Logic = unknown;

export const FieldId = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_]*$',
  maxLength: 64,
  description: 'Key of the value in the submission data; letters, digits, underscore.',
});

export const Option = Type.Object(
  {
    value: Type.Union([Type.String({ minLength: 1 }), Type.Integer()]),
    label: Text,
  },
  { additionalProperties: false },
);
export type Option = Static<typeof Option>;

export const Constraint = Type.Object(
  {
    rule: Logic,
    message: Text,
    code: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable error code' })),
  },
  { additionalProperties: false },
);
export type Constraint = Static<typeof Constraint>;

export const FIELD_TYPES = [
  'text',
  'textarea',
  'integer',
  'number',
  'money',
  'date',
  'select',
  'multiselect',
  'boolean',
  'phone',
  'idcard',
  'orgunit',
  'photo',
  'file',
  'signature',
  'geopoint',
  'table',
  'group',
] as const;
export type BuiltinFieldType = (typeof FIELD_TYPES)[number];

/** Properties every field may carry, whatever its type. */
const common = {
  id: FieldId,
  label: Text,
  help: Type.Optional(Text),
  required: Type.Optional(Type.Boolean()),
  requiredIf: Type.Optional(Logic),
  visibleIf: Type.Optional(Logic),
  readOnly: Type.Optional(Type.Boolean()),
  default: Type.Optional(Type.Unknown()),
  calculate: Type.Optional(Logic),
  constraints: Type.Optional(Type.Array(Constraint)),
  unit: Type.Optional(Type.String({ description: '元, 人, 人次, ㎡ …' })),
  placeholder: Type.Optional(Text),
  pii: Type.Optional(
    Type.Boolean({
      description:
        'Personal data: masked for users without the pii permission. On by default for idcard and phone; a table with pii masks every column',
    }),
  ),
};

const field = <T extends string, P extends Record<string, TSchema>>(type: T, props: P, description: string) =>
  Type.Object(
    { ...common, type: Type.Literal(type), ...props },
    { additionalProperties: false, description },
  );

const lengths = {
  minLength: Type.Optional(Type.Integer({ minimum: 0 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
  pattern: Type.Optional(Type.String({ description: 'ECMAScript regular expression (unicode)' })),
};
const numberRange = { min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) };
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const TextField = field('text', lengths, 'Single-line text');
export const TextareaField = field('textarea', lengths, 'Multi-line text');
export const IntegerField = field('integer', numberRange, 'Whole number');
export const NumberField = field(
  'number',
  { ...numberRange, decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) },
  'Decimal number',
);
export const MoneyField = field('money', numberRange, 'Amount in yuan, rounded to fen (2 decimals)');
export const DateField = field(
  'date',
  { min: Type.Optional(DateString), max: Type.Optional(DateString) },
  'Calendar date YYYY-MM-DD',
);
export const SelectField = field(
  'select',
  {
    options: Type.Array(Option, { minItems: 1 }),
    display: Type.Optional(Type.Union([Type.Literal('radio'), Type.Literal('dropdown')])),
  },
  'One value from a list',
);
export const MultiselectField = field(
  'multiselect',
  {
    options: Type.Array(Option, { minItems: 1 }),
    minItems: Type.Optional(Type.Integer({ minimum: 0 })),
    maxItems: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  'Tick boxes: any number of values from a list',
);
export const BooleanField = field('boolean', {}, 'Yes / no');
export const PhoneField = field(
  'phone',
  {
    kind: Type.Optional(Type.Union([Type.Literal('mobile'), Type.Literal('landline'), Type.Literal('any')])),
  },
  'Mainland China mobile (11 digits) or landline (area code + number)',
);
export const IdcardField = field('idcard', {}, '18-digit resident ID number (GB 11643 check digit)');
export const OrgunitField = field(
  'orgunit',
  {
    level: Type.Optional(
      Type.Union(['province', 'city', 'county', 'township', 'village'].map((l) => Type.Literal(l))),
    ),
  },
  'Administrative division code (GB/T 2260, 6 digits; 9 or 12 for townships and villages)',
);

/** Largest attachment a definition may allow (bytes); the store's own limit may be lower. */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

const MimeType = Type.String({
  pattern: '^[a-z]+/([a-z0-9][a-z0-9.+-]*|\\*)$',
  maxLength: 100,
  description: 'MIME type such as image/jpeg, or a family such as image/*',
});
const attachmentLimits = {
  accept: Type.Optional(
    Type.Array(MimeType, { minItems: 1, description: 'Allowed MIME types (default depends on the type)' }),
  ),
  maxSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_ATTACHMENT_BYTES, description: 'Largest file in bytes' }),
  ),
};
const counts = {
  minCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  maxCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Default 1' })),
};

export const PhotoField = field(
  'photo',
  {
    ...attachmentLimits,
    ...counts,
    maxDimension: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 20000,
        description:
          'Longest side in pixels: a JPEG or WebP photo larger than this is shrunk in the browser (quality 0.8) before it is kept and sent; smaller ones are kept as they are. Default 1600; 0 keeps every photo as taken',
      }),
    ),
  },
  'Photos (JPEG, PNG or WebP by default); the value is a list of attachment references {id, name, type, size}',
);
export const FileField = field(
  'file',
  { ...attachmentLimits, ...counts },
  'Documents (PDF, JPEG or PNG by default); the value is a list of attachment references {id, name, type, size}',
);
export const SignatureField = field(
  'signature',
  attachmentLimits,
  'A signature drawn on the screen (PNG); the value is one attachment reference {id, name, type, size}',
);
export const GeopointField = field(
  'geopoint',
  {
    maxAccuracy: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'Largest accepted accuracy radius in metres' }),
    ),
  },
  'Where the form was filled: {lat, lon, accuracy (metres)}, WGS 84',
);

/** Types a table column may have: every scalar type. */
export const ScalarField = Type.Union([
  TextField,
  TextareaField,
  IntegerField,
  NumberField,
  MoneyField,
  DateField,
  SelectField,
  MultiselectField,
  BooleanField,
  PhoneField,
  IdcardField,
  OrgunitField,
  PhotoField,
  FileField,
  SignatureField,
  GeopointField,
]);
export type ScalarField = Static<typeof ScalarField>;

export const TableField = field(
  'table',
  {
    columns: Type.Array(ScalarField, { minItems: 1 }),
    minRows: Type.Optional(Type.Integer({ minimum: 0 })),
    maxRows: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  'Repeatable rows with typed columns; rules inside a row read it as {"var":"row.<column>"}',
);
export type TableField = Static<typeof TableField>;

export const GroupField = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        id: FieldId,
        type: Type.Literal('group'),
        label: Text,
        help: Type.Optional(Text),
        visibleIf: Type.Optional(Logic),
        fields: Type.Array(Type.Union([ScalarField, TableField, Self])),
      },
      {
        additionalProperties: false,
        description: 'A titled group of fields; its fields keep their own ids at the top level of the data',
      },
    ),
  { $id: 'GroupField' },
);
export type GroupField = Static<typeof GroupField>;

export const Field = Type.Union([ScalarField, TableField, GroupField]);
export type Field = ScalarField | TableField | GroupField;

export const Section = Type.Object(
  {
    id: FieldId,
    title: Text,
    help: Type.Optional(Text),
    visibleIf: Type.Optional(Logic),
    fields: Type.Array(Field),
  },
  { additionalProperties: false },
);
export type Section = Static<typeof Section>;

export const FormDefinition = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 64, description: 'kebab-case form id' }),
    version: Type.Integer({ minimum: 1 }),
    title: Text,
    description: Type.Optional(Text),
    /** How submissions of this form are bucketed in time: none, a month, a quarter or a due date. */
    period: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([
            Type.Literal('none'),
            Type.Literal('month'),
            Type.Literal('quarter'),
            Type.Literal('custom'),
          ]),
          dueDates: Type.Optional(Type.Array(DateString)),
        },
        { additionalProperties: false },
      ),
    ),
    sections: Type.Array(Section, { minItems: 1 }),
    /** Form-level checks that span fields. */
    constraints: Type.Optional(Type.Array(Constraint)),
  },
  { additionalProperties: false, $id: 'https://nuanxin.dev/schemas/form.schema.json' },
);
export type FormDefinition = Static<typeof FormDefinition>;
