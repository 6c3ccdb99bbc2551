import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { writeAudit } from '../../audit/audit.ts';
import { canGrant } from '../../auth/grants.ts';
import { hasRole } from '../../auth/principal.ts';
import { isServiceAccount } from '../../auth/roles.ts';
import { issueToken, listTokens, revokeToken, tokenOwner } from '../../auth/tokens.ts';
import { getUser } from '../../auth/users.ts';
import { httpError, notFound } from '../http-error.ts';
import { requireRole, who } from '../principal-hook.ts';
import { errorResponses } from '../schemas.ts';

const DAY = 86_400_000;

const TokenSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  orgUnit: Type.String(),
  kind: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  current: Type.Boolean({ description: 'the token of this request' }),
});

/**
 * API tokens for integrators: named, at most `maxDays` long, listed and revocable. Issued by an
 * admin for itself, or for a service account of its area that holds no more than the admin does
 * (a service account takes no workflow action, so a token never signs for a person).
 */
export const tokenRoutes: FastifyPluginAsyncTypebox<{ maxDays: number }> = async (app, opts) => {
  const { db } = app.nuanxin;

  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: '签发接口令牌 / issue an API token for yourself or a service account of your area (admin)',
        description: `Lifetime: expiresInDays, at most ${opts.maxDays} days (the default).`,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            username: Type.Optional(Type.String({ maxLength: 100 })),
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
      // A token cannot mint tokens: a leaked one must not outlive its own expiry.
      if (p.tokenKind !== 'session') throw httpError('NX_ERR_HTTP_FORBIDDEN');
      const days = request.body.expiresInDays ?? opts.maxDays;
      if (days > opts.maxDays) {
        throw httpError('NX_ERR_TOKEN_LIFETIME', [
          {
            path: '/body/expiresInDays',
            code: 'NX_ERR_TOKEN_LIFETIME',
            message: {
              'zh-CN': `有效期最长 ${opts.maxDays} 天`,
              en: `A token lives at most ${opts.maxDays} days`,
            },
          },
        ]);
      }
      let userId = p.userId;
      if (request.body.username !== undefined && request.body.username !== p.username) {
        const row = await db
          .selectFrom('users')
          .select('id')
          .where('username', '=', request.body.username)
          .executeTakeFirst();
        const u = row ? await getUser(db, row.id) : undefined;
        // Outside the caller's area looks exactly like absent.
        if (!u?.orgPath.startsWith(p.orgPath)) throw notFound();
        if (!isServiceAccount(u.roles) || !canGrant(p, u)) throw httpError('NX_ERR_TOKEN_NOT_SELF');
        userId = u.id;
      }
      const t = await issueToken(db, userId, { kind: 'api', ttlMs: days * DAY, name: request.body.name });
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

  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: '有效令牌 / live tokens: your own; an admin sees those of its area (filter by username)',
        querystring: Type.Object(
          { username: Type.Optional(Type.String({ maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = who(request);
      const { username } = request.query;
      const mine = username === undefined || username === p.username;
      if (!mine && !hasRole(p, 'admin')) throw notFound();
      // Own tokens for everyone; an admin without a filter sees every live token of its area.
      const scope =
        hasRole(p, 'admin') && username !== p.username
          ? { rootPath: p.orgPath, ...(username === undefined ? {} : { username }) }
          : { userId: p.userId };
      const items = await listTokens(db, scope);
      return { items: items.map((t) => ({ ...t, current: t.id === p.tokenId })) };
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        summary: '注销令牌 / revoke a token: your own, or (admin) one of a user of your area',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = who(request);
      const owner = await tokenOwner(db, request.params.id);
      const mayRevoke =
        owner !== undefined &&
        (owner.userId === p.userId || (hasRole(p, 'admin') && owner.orgPath.startsWith(p.orgPath)));
      if (!mayRevoke) throw notFound();
      await revokeToken(db, request.params.id);
      await writeAudit(db, {
        actor: p.username,
        action: 'token.revoke',
        entityType: 'auth_token',
        entityId: request.params.id,
        after: { username: owner.username },
      });
      return reply.status(204).send(null);
    },
  );
};
