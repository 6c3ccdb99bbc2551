import { PassThrough } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { text } from '../../engine/entry/plugin.ts';
import { DateParam, PeriodParam, perUserRateLimit, who } from '../../engine/entry/server.ts';
import { documentContext } from './document-report.ts';
import { reportError } from './errors.ts';
import { buildTable, CONTENT_TYPES, writeTable } from './run-report.ts';
import type { ReportService } from './service.ts';

const Query = Type.Object(
  {
    period: Type.Optional(PeriodParam),
    asOf: Type.Optional(DateParam),
    org: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' })),
    format: Type.Optional(Type.String()),
    submission: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/reports` and `GET /api/reports/:id?period=…&asOf=…&org=…&format=json|csv|xlsx|html` (mounted
 * as the API area `reports`), org-scoped
 * (a unit outside the caller's subtree is 404). CSV, XLSX and JSON stream; the table is built
 * before the first byte so that a bad request still gets its error status.
 */
export function reportRoutes(service: ReportService): FastifyPluginAsync {
  return async (app) => {
    app.get('/', async (req) => {
      who(req);
      return {
        reports: service.list().map((r) => ({
          id: r.id,
          kind: r.kind,
          title: r.title,
          ...(r.description ? { description: r.description } : {}),
          // The form a report reads: pages offer a document beside the submissions it prints.
          form: r.source.form,
          formats: r.kind === 'document' ? ['html', 'json'] : ['json', 'csv', 'xlsx', 'html'],
        })),
      };
    });
    app.get<{ Params: { id: string }; Querystring: typeof Query.static }>(
      '/:id',
      { schema: { querystring: Query }, config: { rateLimit: perUserRateLimit(app.nuanxin.listRateLimit) } },
      async (req, reply) => {
        const principal = who(req);
        const def = service.get(req.params.id);
        const db = app.nuanxin.db;
        const format = service.format(req.query.format);
        const org = await service.scopedOrg(db, principal, req.query.org);
        const request = service.request(org, principal, req.query.period, req.query.asOf);
        const ctx = service.context(db);
        const locale = req.query.lang ?? 'zh-CN';
        const dated = req.query.asOf ?? req.query.period;
        const name = `${def.id}-${org.code}${dated ? `-${dated}` : ''}.${format}`;
        reply.header('content-type', CONTENT_TYPES[format]);
        if (format !== 'html' && format !== 'json')
          reply.header('content-disposition', `attachment; filename="${name}"`);
        reply.header('cache-control', 'no-store');
        if (def.kind === 'document') {
          const context = await documentContext(ctx, def, { ...request, submission: req.query.submission });
          if (format === 'json') return reply.send(context);
          if (format !== 'html') {
            throw reportError(
              'NX_ERR_REPORT_BAD_REQUEST',
              text(
                `报表“${def.id}”是单份文书，只有 html 和 json 格式`,
                `Report "${def.id}" is a document: html or json only`,
              ),
            );
          }
          return reply.send(service.templates.render(def.template ?? def.id, org.path, context));
        }
        const table = await buildTable(ctx, def, request);
        const out = new PassThrough();
        writeTable(table, out, {
          format,
          templates: service.templates,
          locale,
          orgPath: org.path,
          template: def.template,
        }).catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
        return reply.send(out);
      },
    );
  };
}
