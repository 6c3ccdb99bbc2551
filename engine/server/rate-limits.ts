import type { FastifyRequest } from 'fastify';
import { httpError } from './http-error.ts';

/** Requests one user may make to one list or filter route in the window. */
export interface RateLimit {
  readonly max: number;
  readonly timeWindowMs: number;
}

/** 300 a minute: a person paging through lists never meets it; a script walking the data does. */
export const DEFAULT_LIST_RATE_LIMIT: RateLimit = { max: 300, timeWindowMs: 60_000 };

/**
 * The `config.rateLimit` of a list or filter route: counted per user (the token's user, so a
 * user with several tokens or addresses shares one budget), per route, in this process
 * (ASVS 2.4.1 anti-automation). Runs after the token is resolved (the limiter's preHandler hook).
 */
export function perUserRateLimit(limit: RateLimit) {
  return {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    keyGenerator: (req: FastifyRequest) => (req.principal ? `user:${req.principal.userId}` : `ip:${req.ip}`),
    errorResponseBuilder: () => httpError('NX_ERR_HTTP_RATE_LIMITED'),
  };
}
