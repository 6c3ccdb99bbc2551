import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { writeAudit } from '../../audit/audit.ts';
import { issueToken } from '../../auth/tokens.ts';
import { httpError, notFound } from '../http-error.ts';
import { requireRole } from '../principal-hook.ts';
import { errorResponses } from '../schemas.ts';

const DAY = 86_400_000;

/** API tokens for integrators: long-lived, named, revocable; issued by an admin for a user of their area. */
export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: '签发接口令牌 / issue an API token (admin)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            username: Type.Optional(Type.String()),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.String(), token: Type.String(), expiresAt: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const { db } = app.nuanxin;
      let userId = p.userId;
      if (request.body.username) {
        const u = await db
          .selectFrom('users')
          .innerJoin('org_units', 'org_units.code', 'users.org_code')
          .select(['users.id', 'org_units.path'])
          .where('users.username', '=', request.body.username)
          .executeTakeFirst();
        if (u?.path.startsWith(p.orgPath) !== true) throw notFound();
        userId = u.id;
      }
      if (p.tokenKind !== 'session') throw httpError('NX_ERR_HTTP_FORBIDDEN');
      const t = await issueToken(db, userId, {
        kind: 'api',
        ttlMs: (request.body.expiresInDays ?? 365) * DAY,
        name: request.body.name,
      });
      await writeAudit(db, {
        actor: p.username,
        action: 'token.issue',
        entityType: 'auth_token',
        entityId: t.id,
        after: { userId, kind: 'api', name: request.body.name, expiresAt: t.expiresAt },
      });
      return reply.status(201).send({ id: t.id, token: t.token, expiresAt: t.expiresAt });
    },
  );
};
