import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  claimLogin,
  type LoginOutcome,
  type LoginThrottlePolicy,
  settleLogin,
} from '../../auth/login-throttle.ts';
import { issueToken, revokeToken } from '../../auth/tokens.ts';
import { checkCredentials } from '../../auth/users.ts';
import { httpError } from '../http-error.ts';
import { who } from '../principal-hook.ts';
import { UserSchema } from '../schemas.ts';
import { userJson } from './users.ts';

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    device: Type.Optional(
      Type.Object(
        {
          name: Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'how the device is listed (e.g. “白衣村 phone, Chrome”)',
          }),
        },
        { additionalProperties: false, description: 'keep this login on this device (a device session)' },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * Login, throttled per username and per address in the database (so the limits hold across
 * server processes), and logout. A login with `device` gets a device session: a token of kind
 * `device` that lives `deviceSessionDays` (not 12 hours), is listed and revocable like any token
 * (`GET/DELETE /api/tokens`), and, like a session, cannot mint API tokens.
 */
export const authRoutes: FastifyPluginAsyncTypebox<{
  loginThrottle: LoginThrottlePolicy;
  deviceSessionDays: number;
}> = async (app, opts) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: '登录 / log in: returns a bearer token (throttled per username and per address)',
        security: [],
        body: LoginBody,
        response: {
          200: Type.Object({
            token: Type.String(),
            expiresAt: Type.String(),
            kind: Type.Union([Type.Literal('session'), Type.Literal('device')]),
            user: UserSchema,
          }),
          401: Type.Ref('ErrorBody'),
          403: Type.Ref('ErrorBody'),
          429: Type.Ref('ErrorBody'),
          503: Type.Ref('ErrorBody'),
        },
      },
    },
    async (request) => {
      const { db, sessionTtlMs } = app.nuanxin;
      const { username, password } = request.body;
      const claim = await claimLogin(db, opts.loginThrottle, { username, ip: request.ip });
      let outcome: LoginOutcome = 'unchecked';
      try {
        const checked = await checkCredentials(db, username, password, {
          refuseWhenBusy: true,
          owner: request.ip,
        });
        outcome = checked.status === 'ok' ? 'success' : 'failure';
        if (checked.status === 'disabled') throw httpError('NX_ERR_AUTH_ACCOUNT_DISABLED');
        if (checked.status === 'invalid') throw httpError('NX_ERR_AUTH_INVALID_CREDENTIALS');
        const device = request.body.device;
        const t = device
          ? await issueToken(db, checked.user.id, {
              kind: 'device',
              ttlMs: opts.deviceSessionDays * 86_400_000,
              name: device.name,
            })
          : await issueToken(db, checked.user.id, { kind: 'session', ttlMs: sessionTtlMs });
        return {
          token: t.token,
          expiresAt: t.expiresAt,
          kind: device ? ('device' as const) : ('session' as const),
          user: userJson(checked.user),
        };
      } finally {
        await settleLogin(db, claim, outcome);
      }
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
