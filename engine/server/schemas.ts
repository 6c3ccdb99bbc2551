import { Type } from '@sinclair/typebox';
import { ROLES } from '../auth/roles.ts';
import { Text } from '../i18n.ts';

/** Every error the API answers: a stable code, a bilingual message, and located details where known. */
export const ErrorBody = Type.Object(
  {
    code: Type.String({ examples: ['NX_ERR_HTTP_NOT_FOUND'] }),
    message: Text,
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'JSON pointer into the request data' }),
          code: Type.String(),
          message: Text,
          hint: Type.Optional(Text),
          params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
      ),
    ),
  },
  { $id: 'ErrorBody', description: 'Error response' },
);

/** Error responses shared by every authenticated route (for the OpenAPI document and serialisation). */
export const errorResponses = {
  400: Type.Ref('ErrorBody'),
  401: Type.Ref('ErrorBody'),
  403: Type.Ref('ErrorBody'),
  404: Type.Ref('ErrorBody'),
  409: Type.Ref('ErrorBody'),
  422: Type.Ref('ErrorBody'),
} as const;

export const Data = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Submission data keyed by field id; a table is an array of row objects keyed by column id',
});

export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const OrgUnitSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  level: Type.String(),
  path: Type.String(),
});

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  orgUnit: Type.String(),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  createdAt: Type.String(),
  disabled: Type.Boolean(),
});

export const SubmissionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    formId: Type.String(),
    formVersion: Type.Integer(),
    orgUnit: Type.String(),
    status: Type.String(),
    period: Type.Union([Type.String(), Type.Null()]),
    data: Data,
    version: Type.Integer(),
    createdBy: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Submission' },
);

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
