import type { FastifyError, FastifyInstance } from 'fastify';
import type { HttpCode } from '../errors/codes-http.ts';
import { storeCodes } from '../errors/codes-store.ts';
import { type ErrorDetail, NxError } from '../errors/nx-error.ts';
import { text } from '../i18n.ts';
import { writeFailureOf } from '../store/write-failure.ts';
import { httpError } from './http-error.ts';

/** Fastify's own errors, by code, mapped to ours; anything else with a 4xx status keeps it, under a generic code. */
const FASTIFY_CODES: Record<string, HttpCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'NX_ERR_HTTP_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'NX_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'NX_ERR_HTTP_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'NX_ERR_HTTP_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'NX_ERR_HTTP_INVALID_JSON',
};

const BY_STATUS: Record<number, HttpCode> = {
  400: 'NX_ERR_HTTP_BAD_REQUEST',
  401: 'NX_ERR_HTTP_UNAUTHORIZED',
  403: 'NX_ERR_HTTP_FORBIDDEN',
  404: 'NX_ERR_HTTP_NOT_FOUND',
  413: 'NX_ERR_HTTP_BODY_TOO_LARGE',
  415: 'NX_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  429: 'NX_ERR_HTTP_RATE_LIMITED',
};

function toNxError(err: FastifyError): NxError | undefined {
  if (err instanceof NxError) return err;
  if (err.validation) {
    const context = err.validationContext ?? 'body';
    const errors: ErrorDetail[] = err.validation.map((v) => ({
      path: `/${context}${v.instancePath}`,
      code: 'NX_ERR_HTTP_BAD_REQUEST',
      message: text(`不符合要求：${v.message ?? v.keyword}`, v.message ?? v.keyword),
      params: { keyword: v.keyword, ...(v.params as Record<string, unknown>) },
    }));
    return httpError('NX_ERR_HTTP_BAD_REQUEST', errors);
  }
  if (err instanceof SyntaxError) return httpError('NX_ERR_HTTP_INVALID_JSON');
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return httpError(mapped);
  const status = err.statusCode ?? 500;
  const byStatus = BY_STATUS[status];
  return byStatus ? httpError(byStatus) : undefined;
}

/** Seconds a client is told to wait after a write failure (an operator frees the disk, a standby is promoted). */
export const STORE_RETRY_AFTER_S = 30;

/**
 * Every error leaves as `{ code, message: { zh-CN, en }, errors? }`; a 500 says nothing of its cause.
 * A write the database could not take (disk full, read-only, I/O error, PostgreSQL gone) answers
 * 503 `NX_ERR_STORE_UNAVAILABLE` with `Retry-After`, and the log names the driver's own error.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const failure = writeFailureOf(err);
    if (failure) {
      request.log.error(
        { err, driverCode: failure.driverCode },
        `NX_ERR_STORE_UNAVAILABLE: the database refused a write (${failure.driverCode}: ${failure.message})`,
      );
      return reply
        .status(503)
        .header('retry-after', String(STORE_RETRY_AFTER_S))
        .send({ code: 'NX_ERR_STORE_UNAVAILABLE', message: storeCodes.NX_ERR_STORE_UNAVAILABLE.message });
    }
    const nx = toNxError(err);
    if (!nx) {
      request.log.error({ err }, 'unhandled error');
      const internal = httpError('NX_ERR_HTTP_INTERNAL');
      return reply.status(500).send({ code: internal.code, message: internal.messageText });
    }
    if (nx.statusCode >= 500) request.log.error({ err }, nx.code);
    if (nx.retryAfterSeconds !== undefined) reply.header('retry-after', String(nx.retryAfterSeconds));
    const body: Record<string, unknown> = { code: nx.code, message: nx.messageText };
    if (nx.errors) body.errors = nx.errors;
    return reply.status(nx.statusCode).send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    const e = httpError('NX_ERR_HTTP_ROUTE_NOT_FOUND');
    return reply.status(404).send({ code: e.code, message: e.messageText });
  });
}
