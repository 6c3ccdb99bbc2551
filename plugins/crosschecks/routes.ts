import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  canSeePii,
  getOrgUnit,
  perUserRateLimit,
  requireRole,
  unitInSubtree,
  who,
} from '../../engine/entry/server.ts';
import type { Catalog } from './catalog.ts';
import { dayOf } from './clock.ts';
import { crosschecksError } from './errors.ts';
import { CLOSE_ACTIONS, closeFinding, getFinding, listFindings } from './findings.ts';
import type { Actor } from './import-delivery.ts';
import { referralRoutes } from './referral-routes.ts';
import { crosschecksReport } from './report.ts';
import { crosschecksDb } from './tables.ts';

/**
 * `/api/crosschecks`: lists and their deliveries, findings, referrals and the report. Every read
 * and write is bounded by the caller's subtree (a finding outside it is the same 404 as one that
 * does not exist); ID numbers are masked for callers without `pii`.
 */

const OrgCode = Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' });
const Cell = Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]);

export const actorOf = (req: FastifyRequest): Actor => {
  const p = who(req);
  return { username: p.username, orgPath: p.orgPath, pii: canSeePii(p) };
};

export function crosschecksRoutes(catalog: Catalog): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const db = () => app.nuanxin.db;
    const limited = { rateLimit: perUserRateLimit(app.nuanxin.listRateLimit) };
    const scopeOf = async (req: FastifyRequest, code: string | undefined) => {
      if (!code) return undefined;
      const unit = await getOrgUnit(db(), code);
      if (!unitInSubtree(unit, who(req).orgPath)) {
        throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND', {
          'zh-CN': `单位“${code}”不存在或不在您的管辖范围内`,
          en: `Unit "${code}" does not exist or is outside your unit`,
        });
      }
      return unit.path;
    };

    app.get(
      '/lists',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '部门比对名单 / the department lists and their comparisons',
        },
      },
      async () => ({
        items: catalog.lists.map((l) => ({
          id: l.id,
          version: l.version,
          title: l.title,
          department: l.department,
          idColumn: l.idColumn,
          validDays: l.validDays,
          columns: l.columns.map((c) => ({
            id: c.id,
            type: c.type,
            label: c.label,
            required: c.required ?? false,
            ...(c.options ? { options: c.options } : {}),
          })),
          comparisons: catalog.comparisons
            .filter((c) => c.list === l.id)
            .map((c) => ({
              id: c.id,
              title: c.title,
              rules: c.rules.map((r) => ({ id: r.id, title: r.title, type: r.type, severity: r.severity })),
            })),
        })),
      }),
    );

    app.get(
      '/lists/:list/deliveries',
      {
        config: limited,
        schema: {
          tags: ['crosschecks'],
          summary: '名单的历次交付 / deliveries of a list in your subtree',
          params: Type.Object({ list: Type.String({ maxLength: 40 }) }),
        },
      },
      async (req) => {
        const def = catalog.list(req.params.list);
        const rows = await crosschecksDb(db())
          .selectFrom('crosscheck_deliveries')
          .selectAll()
          .where('list_id', '=', def.id)
          .where('org_path', 'like', `${who(req).orgPath}%`)
          .orderBy('imported_at', 'desc')
          .limit(200)
          .execute();
        return {
          items: rows.map((d) => ({
            id: d.id,
            orgCode: d.org_code,
            fileName: d.file_name,
            rows: d.rows,
            rejected: d.rejected,
            contentHash: d.content_hash,
            importedBy: d.imported_by,
            importedAt: d.imported_at,
            validUntil: d.valid_until,
          })),
        };
      },
    );

    app.post(
      '/lists/:list/deliveries',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '导入一次名单交付并比对 / import a delivery of a list (rows, header first) and compare it',
          params: Type.Object({ list: Type.String({ maxLength: 40 }) }),
          body: Type.Object(
            {
              orgCode: OrgCode,
              fileName: Type.Optional(Type.String({ maxLength: 200 })),
              rows: Type.Array(Type.Array(Cell, { maxItems: 64 }), { minItems: 1, maxItems: 20001 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        requireRole(req, 'admin', 'reviewer');
        const { orgCode, fileName, rows } = req.body;
        const r = await catalog.deliver(db(), req.params.list, actorOf(req), {
          orgCode,
          ...(fileName ? { fileName } : {}),
          rows: () => rows,
          clock: app.nuanxin.clock,
        });
        reply.code(r.duplicate ? 200 : 201);
        return r;
      },
    );

    app.post(
      '/lists/:list/deliveries/:delivery/compare',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '对一次交付再次比对（幂等）/ run the comparisons of a delivery again (idempotent)',
          params: Type.Object({
            list: Type.String({ maxLength: 40 }),
            delivery: Type.String({ maxLength: 60 }),
          }),
        },
      },
      async (req) => {
        requireRole(req, 'admin', 'reviewer');
        const def = catalog.list(req.params.list);
        const d = await crosschecksDb(db())
          .selectFrom('crosscheck_deliveries')
          .select(['id', 'org_path'])
          .where('id', '=', req.params.delivery)
          .where('list_id', '=', def.id)
          .executeTakeFirst();
        if (!d?.org_path.startsWith(who(req).orgPath)) throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND');
        return { runs: await catalog.rerun(db(), def.id, d.id, actorOf(req), undefined, app.nuanxin.clock) };
      },
    );

    app.get(
      '/findings',
      {
        config: limited,
        schema: {
          tags: ['crosschecks'],
          summary: '比对问题（本辖区）/ findings of your subtree',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
            type: Type.Optional(Type.String({ maxLength: 32 })),
            severity: Type.Optional(
              Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]),
            ),
            comparison: Type.Optional(Type.String({ maxLength: 40 })),
            orgCode: Type.Optional(OrgCode),
            overdue: Type.Optional(Type.Boolean()),
            order: Type.Optional(Type.Union([Type.Literal('id'), Type.Literal('due')])),
            after: Type.Optional(Type.String({ maxLength: 60 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          }),
        },
      },
      async (req) => {
        const orgPath = await scopeOf(req, req.query.orgCode);
        const { orgCode: _o, ...q } = req.query;
        return listFindings(db(), actorOf(req), { ...q, ...(orgPath ? { orgPath } : {}) }, app.nuanxin.clock);
      },
    );

    app.get(
      '/findings/:id',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '一条比对问题 / one finding',
          params: Type.Object({ id: Type.String({ maxLength: 60 }) }),
        },
      },
      async (req) => getFinding(db(), actorOf(req), req.params.id, app.nuanxin.clock),
    );

    app.post(
      '/findings/:id/close',
      {
        schema: {
          tags: ['crosschecks'],
          summary: '关闭比对问题 / close a finding: corrected, not_applicable (with a reason) or survey_done',
          params: Type.Object({ id: Type.String({ maxLength: 60 }) }),
          body: Type.Object(
            {
              action: Type.Union(CLOSE_ACTIONS.map((a) => Type.Literal(a))),
              reason: Type.Optional(Type.String({ maxLength: 500 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        requireRole(req, 'admin', 'reviewer', 'field_staff');
        return closeFinding(
          db(),
          actorOf(req),
          req.params.id,
          req.body.action,
          req.body.reason,
          app.nuanxin.clock,
        );
      },
    );

    app.get(
      '/report',
      {
        config: limited,
        schema: {
          tags: ['crosschecks'],
          summary:
            '按单位与类型统计比对问题与转介 / findings and referrals per unit and type, up the hierarchy',
          querystring: Type.Object({ orgCode: Type.Optional(OrgCode) }),
        },
      },
      async (req) => {
        const code = req.query.orgCode ?? who(req).orgCode;
        await scopeOf(req, code);
        return crosschecksReport(db(), code, dayOf(app.nuanxin.clock()));
      },
    );

    await app.register(referralRoutes(), { prefix: '/referrals' });
  };
  return plugin as FastifyPluginAsync;
}
