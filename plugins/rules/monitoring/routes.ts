import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  canSeePii,
  type Database,
  getOrgUnit,
  httpError,
  requireRole,
  unitInSubtree,
  who,
} from '../../../engine/entry/server.ts';
import type { RulesService } from '../service.ts';
import { CHANGE_KINDS, CLOSE_ACTIONS, closeChange, countOpenChanges, listChanges } from './changes.ts';
import { getJob, listJobs, type MonitoringOptions, runMonitoring } from './jobs.ts';
import { withRecordIds } from './record-links.ts';
import { listRevisits } from './revisits.ts';

/**
 * `/api/monitoring`: the change list per unit (open items for each village, closed with an
 * action), the jobs with their progress, re-visits due and overdue, and a run on request.
 * Items and re-visits carry the register record their survey entered (`recordId`), for links.
 * Everything is bounded by the caller's subtree; ID numbers are masked without `pii`.
 */

const OrgCode = Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' });
const Id = Type.String({ minLength: 1, maxLength: 100 });

/** The subtree a request reads: the unit asked for (inside the caller's) or the caller's own. */
async function scopePath(db: Kysely<Database>, req: FastifyRequest, orgCode: string | undefined) {
  const p = who(req);
  if (!orgCode) return p.orgPath;
  const unit = await getOrgUnit(db, orgCode);
  if (!unitInSubtree(unit, p.orgPath) || !unit) throw httpError('NX_ERR_HTTP_NOT_FOUND');
  return unit.path;
}

export function monitoringRoutes(
  serviceFor: (db: Kysely<Database>) => RulesService,
  opts: MonitoringOptions & { readonly intervalMs?: number },
): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const db = () => app.nuanxin.db;
    const register = opts.register ?? 'households';

    // While the server is up, a run every interval (each job claimed by one process of all).
    const interval = opts.intervalMs ?? 0;
    if (interval > 0) {
      let timer: ReturnType<typeof setInterval> | undefined;
      let running: Promise<unknown> | undefined;
      app.addHook('onReady', async () => {
        timer = setInterval(() => {
          if (running) return;
          running = runMonitoring(db(), serviceFor(db()), opts)
            .catch((err: unknown) => app.log.error({ err }, 'monitoring run failed'))
            .finally(() => {
              running = undefined;
            });
        }, interval);
        timer.unref();
      });
      app.addHook('onClose', async () => {
        if (timer) clearInterval(timer);
        await running;
      });
    }

    app.get(
      '/changes',
      {
        schema: {
          tags: ['rules'],
          summary: '动态监测变动清单 / the change list of your unit (open items by default)',
          querystring: Type.Object({
            orgCode: Type.Optional(OrgCode),
            status: Type.Optional(
              Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')]),
            ),
            kind: Type.Optional(Type.Union(CHANGE_KINDS.map((k) => Type.Literal(k)))),
            jobId: Type.Optional(Id),
            after: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        const orgPath = await scopePath(db(), req, q.orgCode);
        const page = await listChanges(db(), {
          orgPath,
          ...(q.status ? { status: q.status } : {}),
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.jobId ? { jobId: q.jobId } : {}),
          ...(q.after ? { after: q.after } : {}),
          ...(q.limit ? { limit: q.limit } : {}),
          pii: canSeePii(who(req)),
        });
        return { ...page, items: await withRecordIds(db(), register, page.items) };
      },
    );

    app.get(
      '/changes/summary',
      {
        schema: {
          tags: ['rules'],
          summary: '各单位待处理的变动事项数 / open change items per unit and kind',
          querystring: Type.Object({ orgCode: Type.Optional(OrgCode) }),
        },
      },
      async (req) => ({ items: await countOpenChanges(db(), await scopePath(db(), req, req.query.orgCode)) }),
    );

    app.post(
      '/changes/:id/close',
      {
        schema: {
          tags: ['rules'],
          summary: '处理一项变动（入户核实等）/ close a change item with an action',
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              action: Type.Union(CLOSE_ACTIONS.map((a) => Type.Literal(a))),
              note: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const p = requireRole(req, 'admin', 'field_staff', 'reviewer');
        return closeChange(db(), {
          id: req.params.id,
          action: req.body.action,
          note: req.body.note,
          actor: p.userId,
          orgPath: p.orgPath,
          now: new Date().toISOString(),
          pii: canSeePii(p),
        });
      },
    );

    app.get(
      '/jobs',
      {
        schema: {
          tags: ['rules'],
          summary: '监测任务及进度 / monitoring jobs and their progress',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        },
      },
      async (req) => ({
        items: await listJobs(db(), {
          orgPath: who(req).orgPath,
          ...(req.query.limit ? { limit: req.query.limit } : {}),
        }),
      }),
    );

    app.get(
      '/jobs/:id',
      { schema: { tags: ['rules'], summary: '一个监测任务 / one job', params: Type.Object({ id: Id }) } },
      async (req) => getJob(db(), req.params.id, who(req).orgPath),
    );

    app.post(
      '/run',
      {
        schema: {
          tags: ['rules'],
          summary: '立即运行监测（标准变更入队并逐批重新认定）/ queue changed standards and run the jobs now',
          body: Type.Optional(
            Type.Object(
              { maxBatches: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) },
              { additionalProperties: false },
            ),
          ),
        },
      },
      async (req) => {
        requireRole(req, 'admin');
        const maxBatches = req.body?.maxBatches;
        return runMonitoring(db(), serviceFor(db()), {
          ...opts,
          ...(maxBatches !== undefined ? { maxBatches } : {}),
        });
      },
    );

    app.get(
      '/revisits',
      {
        schema: {
          tags: ['rules'],
          summary: '复核到期与逾期的家庭 / families due or overdue for a re-survey',
          querystring: Type.Object({
            orgCode: Type.Optional(OrgCode),
            state: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('overdue')])),
            withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 366 })),
            on: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        const list = await listRevisits(db(), serviceFor(db()), {
          orgPath: await scopePath(db(), req, q.orgCode),
          register,
          ...(q.state ? { state: q.state } : {}),
          ...(q.withinDays !== undefined ? { withinDays: q.withinDays } : {}),
          ...(q.on ? { on: q.on } : {}),
          pii: canSeePii(who(req)),
        });
        return { ...list, items: await withRecordIds(db(), register, list.items) };
      },
    );
  };
  return plugin as FastifyPluginAsync;
}
