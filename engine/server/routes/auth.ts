import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { issueToken, revokeToken } from '../../auth/tokens.ts';
import { authenticate } from '../../auth/users.ts';
import { httpError } from '../http-error.ts';
import { who } from '../principal-hook.ts';
import { UserSchema } from '../schemas.ts';
import { userJson } from './users.ts';

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

/** Login (rate-limited per IP and username) and logout. */
export const authRoutes: FastifyPluginAsyncTypebox<{
  loginRateLimit: { max: number; timeWindowMs: number };
}> = async (app, opts) => {
  app.post(
    '/api/auth/login',
    {
      config: {
        public: true,
        rateLimit: {
          max: opts.loginRateLimit.max,
          timeWindow: opts.loginRateLimit.timeWindowMs,
          keyGenerator: (req) =>
            `${req.ip}|${(req.body as { username?: unknown } | undefined)?.username ?? ''}`,
          errorResponseBuilder: () => httpError('NX_ERR_HTTP_RATE_LIMITED'),
        },
      },
      schema: {
        tags: ['auth'],
        summary: '登录 / log in: returns a bearer token',
        security: [],
        body: LoginBody,
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: UserSchema }),
          401: Type.Ref('ErrorBody'),
          429: Type.Ref('ErrorBody'),
        },
      },
    },
    async (request) => {
      const { db, sessionTtlMs } = app.nuanxin;
      const user = await authenticate(db, request.body.username, request.body.password);
      if (!user) throw httpError('NX_ERR_AUTH_INVALID_CREDENTIALS');
      const t = await issueToken(db, user.id, { kind: 'session', ttlMs: sessionTtlMs });
      return { token: t.token, expiresAt: t.expiresAt, user: userJson(user) };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: '退出 / log out: revokes the token of this request',
        response: { 204: Type.Null(), 401: Type.Ref('ErrorBody') },
      },
    },
    async (request, reply) => {
      await revokeToken(app.nuanxin.db, who(request).tokenId);
      return reply.status(204).send(null);
    },
  );
};
