import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ORG_LEVELS } from '../../org/levels.ts';
import { listSubtree } from '../../org/org-units.ts';
import { who } from '../principal-hook.ts';
import { errorResponses, OrgUnitSchema } from '../schemas.ts';

export const orgUnitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/org-units',
    {
      schema: {
        tags: ['org'],
        summary: '行政区划 / the org units of your subtree (your own unit first)',
        querystring: Type.Object({
          level: Type.Optional(Type.Union(ORG_LEVELS.map((l) => Type.Literal(l)))),
          parent: Type.Optional(Type.String({ pattern: '^\\d{6,12}$' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(OrgUnitSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = who(request);
      const items = await listSubtree(app.nuanxin.db, p.orgPath, {
        level: request.query.level,
        parentCode: request.query.parent,
      });
      return { items };
    },
  );
};
