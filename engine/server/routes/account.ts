import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { logOutEverywhere, manageableUser, setPassword, setUserDisabled } from '../../auth/credentials.ts';
import {
  claimLogin,
  type LoginOutcome,
  type LoginThrottlePolicy,
  settleLogin,
} from '../../auth/login-throttle.ts';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.ts';
import { checkCredentials, getUser } from '../../auth/users.ts';
import { httpError, notFound } from '../http-error.ts';
import { requireRole, who } from '../principal-hook.ts';
import { errorResponses, UserSchema } from '../schemas.ts';
import { userJson } from './users.ts';

// The policy (length, guessability, username) answers with its own codes, so the schema only caps the size.
const NewPassword = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });
const UsernameParams = Type.Object({ username: Type.String({ pattern: '^[A-Za-z0-9_.-]{2,64}$' }) });
const busyResponses = { 429: Type.Ref('ErrorBody'), 503: Type.Ref('ErrorBody') } as const;

/**
 * Credentials after login: change your own password, log out everywhere; administrators reset
 * a password, disable or enable a user of their area that holds no more than they do.
 */
export const accountRoutes: FastifyPluginAsyncTypebox<{ loginThrottle: LoginThrottlePolicy }> = async (
  app,
  opts,
) => {
  app.post(
    '/api/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: '修改本人密码 / change your own password (with the current one); ends your other sessions',
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
            newPassword: NewPassword,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ sessionsEnded: Type.Integer() }),
          ...errorResponses,
          ...busyResponses,
        },
      },
    },
    async (request) => {
      const p = who(request);
      // An integration's API token acts for the user but is not the user: it cannot change the password.
      if (p.tokenKind !== 'session') throw httpError('NX_ERR_HTTP_FORBIDDEN');
      const { db } = app.nuanxin;
      // Guessing the current password through this route counts like guessing it at login.
      const claim = await claimLogin(db, opts.loginThrottle, { username: p.username, ip: request.ip });
      let outcome: LoginOutcome = 'unchecked';
      try {
        const checked = await checkCredentials(db, p.username, request.body.currentPassword, {
          refuseWhenBusy: true,
          owner: request.ip,
        });
        outcome = checked.status === 'ok' ? 'success' : 'failure';
        if (checked.status !== 'ok') throw httpError('NX_ERR_AUTH_CURRENT_PASSWORD_WRONG');
      } finally {
        await settleLogin(db, claim, outcome);
      }
      const user = await getUser(db, p.userId);
      if (!user) throw notFound();
      const sessionsEnded = await setPassword(db, {
        user,
        password: request.body.newPassword,
        reason: 'change',
        actor: p.username,
        keepTokenId: p.tokenId,
        pointer: '/body/newPassword',
      });
      return { sessionsEnded };
    },
  );

  app.post(
    '/api/auth/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: '在所有设备退出 / log out everywhere: revokes every session and API token of the caller',
        response: { 200: Type.Object({ tokensRevoked: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const p = who(request);
      return {
        tokensRevoked: await logOutEverywhere(app.nuanxin.db, {
          id: p.userId,
          username: p.username,
          orgPath: p.orgPath,
        }),
      };
    },
  );

  app.post(
    '/api/users/:username/password',
    {
      schema: {
        tags: ['users'],
        summary: '重置用户密码 / reset the password of a user of your area (admin); ends its sessions',
        params: UsernameParams,
        body: Type.Object({ newPassword: NewPassword }, { additionalProperties: false }),
        response: {
          200: Type.Object({ sessionsEnded: Type.Integer() }),
          ...errorResponses,
          ...busyResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const user = await manageableUser(app.nuanxin.db, p, request.params.username);
      const sessionsEnded = await setPassword(app.nuanxin.db, {
        user,
        password: request.body.newPassword,
        reason: 'reset',
        actor: p.username,
        pointer: '/body/newPassword',
      });
      return { sessionsEnded };
    },
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/users/:username/${action}`,
      {
        schema: {
          tags: ['users'],
          summary: disabled
            ? '停用用户 / disable a user of your area (admin): it cannot log in and all its tokens are revoked'
            : '启用用户 / enable a user of your area again (admin); its old tokens stay revoked',
          params: UsernameParams,
          response: { 200: UserSchema, ...errorResponses },
        },
      },
      async (request) => {
        const p = requireRole(request, 'admin');
        const user = await manageableUser(app.nuanxin.db, p, request.params.username);
        return userJson(await setUserDisabled(app.nuanxin.db, { user, disabled, actor: p.username }));
      },
    );
  }
};
