import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getUser } from '../../auth/users.ts';
import { getOrgUnit } from '../../org/org-units.ts';
import { notFound } from '../http-error.ts';
import { who } from '../principal-hook.ts';
import { errorResponses, OrgUnitSchema, UserSchema } from '../schemas.ts';
import { userJson } from './users.ts';

export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: '当前用户 / the caller, their org unit and grants',
        response: {
          200: Type.Object({ user: UserSchema, orgUnit: OrgUnitSchema, tokenKind: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = who(request);
      const [user, org] = await Promise.all([
        getUser(app.nuanxin.db, p.userId),
        getOrgUnit(app.nuanxin.db, p.orgCode),
      ]);
      if (!user || !org) throw notFound();
      return { user: userJson(user), orgUnit: org, tokenKind: p.tokenKind };
    },
  );
};
