import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import { hasRole } from '../auth/principal.ts';
import type { Role } from '../auth/roles.ts';
import { resolveToken } from '../auth/tokens.ts';
import { httpError } from './http-error.ts';
import type { Services } from './services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** A route that needs no token (login, health). */
    public?: boolean;
  }
}

/**
 * Resolves the bearer token of every `/api/` request that is not public. Unknown routes are
 * left to the not-found handler.
 */
export function authenticateHook(services: Services) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.principal = null;
    if (!request.url.startsWith('/api/') || request.routeOptions.url === undefined) return;
    if (request.routeOptions.config?.public) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw httpError('NX_ERR_HTTP_UNAUTHORIZED');
    const principal = await resolveToken(services.db, match[1]);
    if (!principal) throw httpError('NX_ERR_AUTH_TOKEN_INVALID');
    request.principal = principal;
  };
}

/** The caller of an authenticated route. */
export function who(request: FastifyRequest): Principal {
  if (!request.principal) throw httpError('NX_ERR_HTTP_UNAUTHORIZED');
  return request.principal;
}

/** The caller, who must hold one of `roles` (else 403). */
export function requireRole(request: FastifyRequest, ...roles: readonly Role[]): Principal {
  const p = who(request);
  if (!hasRole(p, ...roles)) throw httpError('NX_ERR_HTTP_FORBIDDEN');
  return p;
}
