import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CaseFiltersSchema, CaseSummarySchema } from '../../workflow-store/case-summaries.ts';
import { who } from '../principal-hook.ts';
import { perUserRateLimit } from '../rate-limits.ts';
import { errorResponses } from '../schemas.ts';

/** `GET /api/cases`: every case, task and submission row the pages list, in one read. */
export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/cases',
    {
      config: { rateLimit: perUserRateLimit(app.nuanxin.listRateLimit) },
      schema: {
        tags: ['workflow'],
        summary:
          '案件一览 / the cases of your subtree: family (ID masked), unit, current step, who acts next, by when, last step',
        querystring: CaseFiltersSchema,
        response: { 200: Type.Object({ items: Type.Array(CaseSummarySchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.workflows.cases(who(request), request.query) }),
  );
};
