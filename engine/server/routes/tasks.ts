import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Text } from '../../i18n.ts';
import { who } from '../principal-hook.ts';
import { perUserRateLimit } from '../rate-limits.ts';
import { errorResponses } from '../schemas.ts';

const AvailableActionSchema = Type.Object({
  action: Type.String(),
  label: Text,
  kind: Type.String({ description: 'normal, return, reject or withdraw' }),
  to: Type.String(),
  input: Type.Array(
    Type.Object({ id: Type.String(), type: Type.String(), label: Text, required: Type.Boolean() }),
  ),
  countersign: Type.Optional(Type.Object({ pending: Type.Array(Type.String()), completes: Type.Boolean() })),
});

export const TaskSchema = Type.Object({
  submissionId: Type.String(),
  formId: Type.String(),
  workflowId: Type.String(),
  workflowVersion: Type.Integer(),
  orgUnit: Type.String(),
  period: Type.Union([Type.String(), Type.Null()]),
  submitter: Type.String(),
  state: Type.String(),
  stateLabel: Text,
  enteredAt: Type.String(),
  actions: Type.Array(AvailableActionSchema),
  deadline: Type.Union([Type.String(), Type.Null()], { description: 'When the task becomes overdue' }),
  overdue: Type.Boolean(),
  timerDueAt: Type.Union([Type.String(), Type.Null()], { description: "When the state's timer fires" }),
});

const BulkResultSchema = Type.Object({
  submissionId: Type.String(),
  ok: Type.Boolean(),
  state: Type.Optional(Type.String()),
  moved: Type.Optional(Type.Boolean()),
  status: Type.Optional(Type.Integer()),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Text),
});

/** `GET /api/tasks` and `POST /api/tasks/bulk`. */
export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/tasks',
    {
      config: { rateLimit: perUserRateLimit(app.nuanxin.listRateLimit) },
      schema: {
        tags: ['workflow'],
        summary: '待办 / cases you may act on now (your roles, level and subtree), overdue first',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.String({ maxLength: 64 })),
            form: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TaskSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await app.workflows.tasks(who(request), {
        ...(q.state === undefined ? {} : { state: q.state }),
        ...(q.form === undefined ? {} : { form: q.form }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
      });
      return { items };
    },
  );

  app.post(
    '/api/tasks/bulk',
    {
      schema: {
        tags: ['workflow'],
        summary: '批量处理 / one action on many cases; each case in its own transaction, a result per case',
        body: Type.Object(
          {
            action: Type.String({ minLength: 1, maxLength: 64 }),
            submissionIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              minItems: 1,
              maxItems: 200,
            }),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ results: Type.Array(BulkResultSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { action, submissionIds, comment } = request.body;
      return { results: await app.workflows.bulk(who(request), action, submissionIds, comment) };
    },
  );
};
