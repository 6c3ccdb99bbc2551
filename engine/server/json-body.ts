import type { FastifyInstance } from 'fastify';
import { jsonShapeFault, MAX_JSON_DEPTH } from '../definition/json-limits.ts';
import { httpError } from './http-error.ts';

/**
 * Fastify's JSON body parser (with its prototype-poisoning checks), followed by a depth check that
 * keeps its own stack: a body nested deeper than MAX_JSON_DEPTH is refused with 400
 * NX_ERR_HTTP_BODY_TOO_DEEP before any handler, hook or hash walks it recursively.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err, value) => {
      if (err) {
        done(err, undefined);
        return;
      }
      const fault = jsonShapeFault(value, { depth: MAX_JSON_DEPTH });
      if (fault === undefined) {
        done(null, value);
        return;
      }
      const e = httpError('NX_ERR_HTTP_BODY_TOO_DEEP', [
        {
          path: fault.pointer,
          code: 'NX_ERR_HTTP_BODY_TOO_DEEP',
          message: {
            'zh-CN': `请求体嵌套超过 ${MAX_JSON_DEPTH} 层`,
            en: `The body is nested more than ${MAX_JSON_DEPTH} levels deep`,
          },
          params: { maxDepth: MAX_JSON_DEPTH },
        },
      ]);
      done(e, undefined);
    });
  });
}
