import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { who } from '../principal-hook.ts';
import { errorResponses } from '../schemas.ts';

const ActionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  action: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 64 }),
});

const TransitionSchema = Type.Object({
  submissionId: Type.String(),
  action: Type.String(),
  from: Type.String(),
  to: Type.String(),
  moved: Type.Boolean({ description: 'False while a countersign still waits for other roles' }),
  state: Type.String(),
  record: Type.Object(
    {
      actorId: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
      input: Type.Record(Type.String(), Type.Unknown()),
      comment: Type.Optional(Type.String()),
      countersign: Type.Optional(
        Type.Object({
          role: Type.String(),
          approved: Type.Array(Type.String()),
          pending: Type.Array(Type.String()),
        }),
      ),
      effects: Type.Optional(Type.Array(Type.Object({ name: Type.String(), output: Type.Unknown() }))),
    },
    { additionalProperties: true },
  ),
});

/** `POST /api/submissions/:id/actions/:action`. */
export const workflowActionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/submissions/:id/actions/:action',
    {
      schema: {
        tags: ['workflow'],
        summary:
          '审批动作 / take one workflow action: 404 outside your subtree, 403 wrong role or level, 409 not now or someone acted first, 422 input',
        params: ActionParams,
        body: Type.Optional(
          Type.Object(
            {
              comment: Type.Optional(Type.String({ maxLength: 2000 })),
              input: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: TransitionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { id, action } = request.params;
      return app.workflows.act(who(request), id, action, request.body ?? {});
    },
  );
};
