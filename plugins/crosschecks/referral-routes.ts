import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { canSeePii, requireRole, who } from '../../engine/entry/server.ts';
import {
  ANSWERS,
  answerReferral,
  assignDepartmentUser,
  createReferral,
  DEPARTMENTS,
  departmentOf,
  getReferral,
  ITEM_STATUSES,
  isCountyCivilAffairs,
  listReferrals,
  type ReferralActor,
  updateItem,
} from './referrals.ts';

const literals = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Id = Type.String({ maxLength: 60 });

const actorOf = (req: FastifyRequest): ReferralActor => {
  const p = who(req);
  return { username: p.username, orgPath: p.orgPath, pii: canSeePii(p), roles: p.roles };
};

/** `/api/crosschecks/referrals`: create, list, answer, item status, department accounts. */
export function referralRoutes(): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const db = () => app.nuanxin.db;

    app.post(
      '/',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '转介一户到部门 / refer a family (from a finding or a case) to a department',
          body: Type.Object(
            {
              findingId: Type.Optional(Id),
              caseId: Type.Optional(Id),
              department: literals(DEPARTMENTS),
              note: Type.Optional(Type.String({ maxLength: 1000 })),
              dueDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
              items: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 20 }),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        requireRole(req, 'admin', 'reviewer', 'field_staff');
        reply.code(201);
        return createReferral(db(), actorOf(req), req.body, app.nuanxin.clock);
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '转介列表（部门用户只见本部门）/ referrals (a department user sees its department only)',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([literals(['open']), literals(ANSWERS)])),
            department: Type.Optional(literals(DEPARTMENTS)),
          }),
        },
      },
      async (req) => listReferrals(db(), actorOf(req), req.query, app.nuanxin.clock),
    );

    app.get(
      '/departments/mine',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '我的部门与答复权限 / the department this account answers for, and whether it may answer',
        },
      },
      async (req) => {
        const a = actorOf(req);
        const department = (await departmentOf(db(), a.username)) ?? null;
        return { department, canAnswer: department !== null || isCountyCivilAffairs(a) };
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '一条转介 / one referral',
          params: Type.Object({ id: Id }),
        },
      },
      async (req) => getReferral(db(), actorOf(req), req.params.id, app.nuanxin.clock),
    );

    app.post(
      '/:id/answer',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '部门答复（或县级民政代录）/ the department answers (or the county records it)',
          params: Type.Object({ id: Id }),
          body: Type.Object(
            { status: literals(ANSWERS), answer: Type.Optional(Type.String({ maxLength: 1000 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (req) =>
        answerReferral(
          db(),
          actorOf(req),
          req.params.id,
          req.body.status,
          req.body.answer,
          app.nuanxin.clock,
        ),
    );

    app.post(
      '/:id/items/:item',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '诉求事项的状态 / the status of one of the family’s requests',
          params: Type.Object({ id: Id, item: Id }),
          body: Type.Object(
            { status: literals(ITEM_STATUSES), note: Type.Optional(Type.String({ maxLength: 500 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (req) =>
        updateItem(
          db(),
          actorOf(req),
          req.params.id,
          req.params.item,
          req.body.status,
          req.body.note,
          app.nuanxin.clock,
        ),
    );

    app.post(
      '/departments',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '指定部门账号 / make a user the account of a department (admins)',
          body: Type.Object(
            { username: Type.String({ minLength: 1, maxLength: 64 }), department: literals(DEPARTMENTS) },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        await assignDepartmentUser(
          db(),
          actorOf(req),
          req.body.username,
          req.body.department,
          app.nuanxin.clock,
        );
        return { username: req.body.username, department: req.body.department };
      },
    );
  };
  return plugin as FastifyPluginAsync;
}
