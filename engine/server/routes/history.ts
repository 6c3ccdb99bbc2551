import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Text } from '../../i18n.ts';
import { who } from '../principal-hook.ts';
import { errorResponses, IdParam } from '../schemas.ts';

const HistoryEntrySchema = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  from: Type.String(),
  to: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()], { description: 'Username; null when a timer fired' }),
  at: Type.String(),
  comment: Type.Union([Type.String(), Type.Null()]),
  input: Type.Record(Type.String(), Type.Unknown()),
  effects: Type.Array(Type.Object({ name: Type.String(), output: Type.Unknown() })),
  label: Text,
  kind: Type.String({ description: 'normal, return, reject, withdraw …; timer when a timer fired' }),
  fromLabel: Text,
  toLabel: Text,
  actorName: Type.Union([Type.String(), Type.Null()], { description: "The actor's display name" }),
});

/** `GET /api/submissions/:id/history`. */
export const historyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/submissions/:id/history',
    {
      schema: {
        tags: ['workflow'],
        summary: "流转记录 / the case's workflow history, oldest first (404 outside your subtree)",
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(HistoryEntrySchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.workflows.history(who(request), request.params.id) }),
  );
};
