import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, type TObject, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  canSeePii,
  type Database,
  getOrgUnit,
  httpError,
  perUserRateLimit,
  type Role,
  requireRole,
  who,
} from '../../engine/entry/server.ts';
import {
  type Actor,
  decideTransfer,
  mergeRecords,
  requestTransfer,
  resolveFlag,
  setStatus,
} from './actions.ts';
import { registerError } from './load-register.ts';
import { prefill } from './prefill.ts';
import { FILTER_OPS, findByIdentifier, inbox, listRecords, type Reader } from './read.ts';
import type { RegisterDefinition } from './register-schema.ts';
import type { RegistersService } from './service.ts';
import { pendingTransfers } from './transfers-read.ts';

/**
 * `/api/registers`: the definitions, records (list with typed filters and key-set paging, one
 * record with its timeline, the prefill of a follow-up form), the search by identifier (in a
 * POST body, never in a URL that ends up in logs), the inbox of conflicts and duplicates, and
 * the actions. Every read and write is bounded by the caller's subtree; identifiers are masked
 * for callers without `pii`.
 */

const RegisterParam = Type.Object({ register: Type.String({ pattern: '^[a-z][a-z0-9_]{0,23}$' }) });
const RecordParams = Type.Object({
  register: Type.String({ pattern: '^[a-z][a-z0-9_]{0,23}$' }),
  id: Type.String({ maxLength: 80 }),
});
const OrgCode = Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' });
const Paging = {
  after: Type.Optional(Type.String({ maxLength: 120, description: 'The last id of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};
const FilterSchema = Type.Object(
  {
    property: Type.String({ maxLength: 64 }),
    op: Type.Union(FILTER_OPS.map((o) => Type.Literal(o))),
    value: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()])),
  },
  { additionalProperties: false },
);
const WRITERS = ['admin', 'field_staff', 'reviewer'] as const;
const REVIEWERS = ['admin', 'reviewer'] as const;

export function registerRoutes(
  defs: readonly RegisterDefinition[],
  onStart: (db: Kysely<Database>) => Promise<void>,
  records: Pick<RegistersService, 'showRecord'>,
): FastifyPluginAsync {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const defOf = (id: string) => {
    const d = byId.get(id);
    if (!d) throw registerError('NX_ERR_REGISTERS_NOT_FOUND');
    return d;
  };
  const reader = (req: FastifyRequest): Reader => {
    const p = who(req);
    return { orgPath: p.orgPath, pii: canSeePii(p), roles: p.roles };
  };
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const db = () => app.nuanxin.db;
    await onStart(db());
    const scopeOf = async (req: FastifyRequest, orgCode: string | undefined) => {
      if (!orgCode) return undefined;
      const unit = await getOrgUnit(db(), orgCode);
      if (!unit?.path.startsWith(who(req).orgPath)) throw registerError('NX_ERR_REGISTERS_NOT_FOUND');
      return unit.path;
    };

    app.get(
      '/',
      { schema: { tags: ['registers'], summary: '登记簿列表 / the registers and their properties' } },
      async (req) => {
        who(req);
        return {
          items: defs.map((d) => ({
            id: d.id,
            version: d.version,
            title: d.title,
            key: d.key,
            properties: d.properties,
            statuses: d.statuses,
            forms: d.forms.map((f) => f.form),
          })),
        };
      },
    );

    // Lists and look-ups are budgeted per user, like the submission lists (anti-automation).
    const limited = { rateLimit: perUserRateLimit(app.nuanxin.listRateLimit) };
    /** Without pii, a look-up by a value the caller sees masked would confirm guesses: refused. */
    const refuseMasked = (req: FastifyRequest, pointers: readonly string[]) => {
      if (pointers.length === 0 || canSeePii(who(req))) return;
      throw httpError(
        'NX_ERR_SUBMISSION_FILTER_MASKED',
        pointers.map((path) => ({
          path,
          code: 'NX_ERR_SUBMISSION_FILTER_MASKED',
          message: {
            'zh-CN': '这是个人信息，您只能看到遮蔽值，不能按它查找',
            en: 'This is personal data you see masked: it cannot be searched on',
          },
        })),
      );
    };

    app.get(
      '/:register/records',
      {
        config: limited,
        schema: {
          tags: ['registers'],
          summary: '记录列表（按编号分页）/ records, paged by id',
          params: RegisterParam,
          querystring: Type.Object({
            status: Type.Optional(Type.String({ maxLength: 20 })),
            orgCode: Type.Optional(OrgCode),
            ...Paging,
          }),
        },
      },
      async (req) => {
        const def = defOf(req.params.register);
        const orgPath = await scopeOf(req, req.query.orgCode);
        return listRecords(db(), def, reader(req), { ...req.query, ...(orgPath ? { orgPath } : {}) });
      },
    );

    app.post(
      '/:register/records/query',
      {
        config: limited,
        schema: {
          tags: ['registers'],
          summary: '按属性筛选记录 / records filtered on typed properties',
          params: RegisterParam,
          body: Type.Object(
            {
              status: Type.Optional(Type.String({ maxLength: 20 })),
              orgCode: Type.Optional(OrgCode),
              filters: Type.Optional(Type.Array(FilterSchema, { maxItems: 20 })),
              ...Paging,
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const def = defOf(req.params.register);
        const personal = new Set(def.properties.filter((p) => p.pii).map((p) => p.id));
        refuseMasked(
          req,
          (req.body.filters ?? []).flatMap((f, i) =>
            personal.has(f.property) ? [`/body/filters/${i}/property`] : [],
          ),
        );
        const orgPath = await scopeOf(req, req.body.orgCode);
        return listRecords(db(), def, reader(req), { ...req.body, ...(orgPath ? { orgPath } : {}) });
      },
    );

    app.post(
      '/:register/search',
      {
        config: limited,
        schema: {
          tags: ['registers'],
          summary:
            '按身份证号查找（号码放在请求体中）/ find records by ID number (in the body, never the URL)',
          params: RegisterParam,
          body: Type.Object(
            { idNumber: Type.String({ minLength: 1, maxLength: 40 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        refuseMasked(req, ['/body/idNumber']);
        return {
          items: await findByIdentifier(db(), defOf(req.params.register), reader(req), req.body.idNumber),
        };
      },
    );

    app.get(
      '/:register/records/:id',
      {
        schema: {
          tags: ['registers'],
          summary: '一条记录及其时间线 / one record with its timeline',
          params: RecordParams,
        },
      },
      // The registers service builds the answer, with the sections dependants added, for the
      // command line (`nuanxin registers show`) as for this route.
      async (req) => records.showRecord(db(), defOf(req.params.register).id, reader(req), req.params.id),
    );

    app.get(
      '/:register/records/:id/prefill',
      {
        schema: {
          tags: ['registers'],
          summary: '随访表单预填（当前版本及其版本号）/ a follow-up form prefilled from the current version',
          params: RecordParams,
          querystring: Type.Object({ form: Type.Optional(Type.String({ maxLength: 64 })) }),
        },
      },
      async (req) => prefill(db(), defOf(req.params.register), reader(req), req.params.id, req.query.form),
    );

    app.get(
      '/:register/inbox',
      {
        schema: {
          tags: ['registers'],
          summary: '待处理的冲突与重复 / open conflicts and duplicates',
          params: RegisterParam,
          querystring: Type.Object({
            kind: Type.Optional(Type.Union([Type.Literal('conflict'), Type.Literal('duplicate')])),
            ...Paging,
          }),
        },
      },
      async (req) => inbox(db(), defOf(req.params.register), reader(req), req.query),
    );

    /**
     * An action on one register: a POST the given roles may make, run with the caller stamped by
     * the app's clock; it answers `{ ok: true }` unless the action returns an answer of its own.
     */
    const action = <P extends TObject, B extends TObject>(
      path: string,
      roles: readonly Role[],
      schema: { readonly summary: string; readonly params: P; readonly body: B },
      run: (
        def: RegisterDefinition,
        actor: Actor,
        req: { params: Static<P>; body: Static<B> },
      ) => Promise<unknown>,
    ) =>
      app.post(path, { schema: { tags: ['registers'], ...schema } }, async (req) => {
        const actor = { ...requireRole(req, ...roles), at: app.nuanxin.clock() };
        const params = req.params as Static<P> & { register: string };
        const answer = await run(defOf(params.register), actor, { params, body: req.body as Static<B> });
        return answer ?? { ok: true };
      });

    action(
      '/:register/flags/:id/resolve',
      REVIEWERS,
      {
        summary:
          '处理冲突（keep 保留当前 / take 采用冲突版本）或重复（dismiss）/ resolve a conflict or duplicate',
        params: RecordParams,
        body: Type.Object(
          { choice: Type.Union([Type.Literal('keep'), Type.Literal('take'), Type.Literal('dismiss')]) },
          { additionalProperties: false },
        ),
      },
      (def, actor, { params, body }) => resolveFlag(db(), def, actor, params.id, body.choice),
    );

    action(
      '/:register/merge',
      REVIEWERS,
      {
        summary: '合并两条记录（保留 keep，历史不丢）/ merge drop into keep, history kept',
        params: RegisterParam,
        body: Type.Object(
          { keep: Type.String({ maxLength: 80 }), drop: Type.String({ maxLength: 80 }) },
          { additionalProperties: false },
        ),
      },
      (def, actor, { body }) => mergeRecords(db(), def, actor, body.keep, body.drop),
    );

    action(
      '/:register/records/:id/status',
      WRITERS,
      {
        summary: '变更状态（如注销：死亡、迁出）/ change the status (e.g. closed: death, moved out)',
        params: RecordParams,
        body: Type.Object(
          {
            status: Type.String({ maxLength: 20 }),
            reason: Type.Optional(Type.String({ maxLength: 40 })),
            effective: Type.Optional(
              Type.String({
                maxLength: 10,
                description: 'The day it takes effect (YYYY-MM-DD); default today',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
      (def, actor, { params, body }) =>
        setStatus(db(), def, actor, params.id, body.status, body.reason ?? null, body.effective),
    );

    action(
      '/:register/records/:id/transfer',
      WRITERS,
      {
        summary: '迁移到另一个村（上级直接完成，否则待对方接收）/ transfer to another village',
        params: RecordParams,
        body: Type.Object({ to: OrgCode }, { additionalProperties: false }),
      },
      (def, actor, { params, body }) => requestTransfer(db(), def, actor, params.id, body.to),
    );

    app.get(
      '/:register/transfers',
      {
        schema: {
          tags: ['registers'],
          summary:
            '待确认的迁移（迁入待您接收、迁出待对方接收）/ pending transfers into and out of your area',
          params: RegisterParam,
        },
      },
      async (req) => ({ items: await pendingTransfers(db(), defOf(req.params.register), reader(req)) }),
    );

    action(
      '/:register/transfers/:id',
      WRITERS,
      {
        summary: '接收或拒绝迁入 / accept or decline a transfer into your unit',
        params: RecordParams,
        body: Type.Object({ accept: Type.Boolean() }, { additionalProperties: false }),
      },
      (def, actor, { params, body }) => decideTransfer(db(), def, actor, params.id, body.accept),
    );
  };
  return plugin as FastifyPluginAsync;
}
