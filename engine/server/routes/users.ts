import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { canGrant } from '../../auth/grants.ts';
import type { User } from '../../auth/users.ts';
import { createUser, listUsers } from '../../auth/users.ts';
import { getOrgUnit, unitInSubtree } from '../../org/org-units.ts';
import { isUniqueViolation } from '../../store/dialect.ts';
import { httpError } from '../http-error.ts';
import { requireRole } from '../principal-hook.ts';
import { errorResponses, Role, UserSchema } from '../schemas.ts';

export const userJson = (u: User) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  orgUnit: u.orgCode,
  roles: u.roles,
  permissions: u.permissions,
  createdAt: u.createdAt,
  disabled: u.disabled,
});

const NewUserBody = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9_.-]{2,64}$' }),
    // Length and guessability are the password policy's (its own codes and hints), not the schema's.
    password: Type.String({ minLength: 1, maxLength: 200 }),
    displayName: Type.Optional(Type.String({ maxLength: 100 })),
    orgUnit: Type.String({ pattern: '^\\d{6,12}$' }),
    roles: Type.Array(Role, { minItems: 1, uniqueItems: true }),
    permissions: Type.Optional(Type.Array(Type.Literal('pii'), { uniqueItems: true })),
  },
  { additionalProperties: false },
);

/** Users of the caller's subtree (admins only). */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: '用户列表 / users in your area (admin)',
        response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { items: (await listUsers(app.nuanxin.db, p.orgPath)).map(userJson) };
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary:
          '新建用户 / create a user in your area (admin), holding only roles and permissions you hold yourself',
        body: NewUserBody,
        response: { 201: UserSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const b = request.body;
      const org = await getOrgUnit(app.nuanxin.db, b.orgUnit);
      if (!unitInSubtree(org, p.orgPath)) throw httpError('NX_ERR_ORG_NOT_IN_SCOPE');
      // Checked before the name: a refused grant learns nothing about which usernames exist.
      if (!canGrant(p, { roles: b.roles, permissions: b.permissions ?? [], orgPath: org.path }))
        throw httpError('NX_ERR_USER_GRANT_EXCEEDED');
      try {
        const user = await createUser(app.nuanxin.db, {
          username: b.username,
          password: b.password,
          displayName: b.displayName ?? null,
          orgCode: b.orgUnit,
          roles: b.roles,
          permissions: b.permissions ?? [],
          actor: p.username,
          passwordPointer: '/body/password',
        });
        return reply.status(201).send(userJson(user));
      } catch (err) {
        // One neutral answer wherever the name is taken (inside or outside the caller's area).
        if (isUniqueViolation(err)) throw httpError('NX_ERR_USER_EXISTS');
        throw err;
      }
    },
  );
};
