import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listAudit } from '../../audit/audit.ts';
import { canSeePii, type Principal } from '../../auth/principal.ts';
import { DELETER_ROLES, WRITER_ROLES } from '../../auth/roles.ts';
import { fieldNames, piiFieldNames } from '../../forms/pii.ts';
import { type ListFilters, listSubmissions, MAX_FIELD_FILTERS } from '../../submissions/list.ts';
import { httpError } from '../http-error.ts';
import { requireRole, who } from '../principal-hook.ts';
import { DateOrTimestampParam } from '../query-schemas.ts';
import { perUserRateLimit } from '../rate-limits.ts';
import { Data, errorResponses, IdParam, SubmissionSchema } from '../schemas.ts';

const Status = Type.Union([Type.Literal('draft'), Type.Literal('submitted')]);
const FIELD_FILTER = /^field\.([A-Za-z][A-Za-z0-9_]*)$/;

/** `If-Match: "3"` (or `W/"3"`, or `3`) → 3. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m) throw httpError('NX_ERR_HTTP_PRECONDITION_FAILED');
  return Number(m[1]);
}

const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  diff: Type.Object({ before: Type.Unknown(), after: Type.Unknown() }),
});

export const submissionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, submissions, present } = app.nuanxin;

  app.get(
    '/api/forms/:id/submissions',
    {
      config: { rateLimit: perUserRateLimit(app.nuanxin.listRateLimit) },
      schema: {
        tags: ['submissions'],
        summary: '填报列表 / submissions of a form in your subtree; keyset pagination',
        description:
          'Filter by field value with `field.<fieldId>=<value>` (up to 5). Without `pii`, a filter on a personal field (ID number, phone) is refused with NX_ERR_SUBMISSION_FILTER_MASKED. Rate-limited per user.',
        params: IdParam,
        querystring: Type.Object(
          {
            orgUnit: Type.Optional(Type.String({ pattern: '^\\d{6,12}$' })),
            status: Type.Optional(Type.String({ maxLength: 40 })),
            period: Type.Optional(Type.String({ maxLength: 40 })),
            createdFrom: Type.Optional(DateOrTimestampParam),
            createdTo: Type.Optional(DateOrTimestampParam),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: Type.String({ maxLength: 200 }) },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(SubmissionSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = who(request);
      const q = request.query as Record<string, unknown> & ListFilters;
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(q)) {
        const m = FIELD_FILTER.exec(key);
        if (m?.[1] && typeof value === 'string') fields[m[1]] = value;
      }
      if (Object.keys(fields).length > MAX_FIELD_FILTERS) throw httpError('NX_ERR_HTTP_BAD_REQUEST');
      if (!canSeePii(p)) await refuseMaskedFilters(p, request.params.id, Object.keys(fields));
      const page = await listSubmissions(db, p, request.params.id, { ...q, fields });
      return { items: await present.submissions(p, page.items), nextCursor: page.nextCursor };
    },
  );

  /**
   * A filter on a field the caller sees masked would answer "is this the number?" one guess at a
   * time: refused, with the filter's pointer. Fields personal in the effective form count.
   */
  async function refuseMaskedFilters(p: Principal, formId: string, names: readonly string[]) {
    if (names.length === 0) return;
    const eff = await app.nuanxin.forms.get(formId, p.orgPath);
    const personal = eff ? piiFieldNames(eff.definition) : undefined;
    const known = eff ? fieldNames(eff.definition) : undefined;
    // A field the current form does not have (removed, or only in older versions) may have been
    // personal there: refused too, as is every filter when no form says which fields are personal.
    const masked = names.filter((n) => personal === undefined || personal.has(n) || !known?.has(n));
    if (masked.length === 0) return;
    throw httpError(
      'NX_ERR_SUBMISSION_FILTER_MASKED',
      masked.map((n) => ({
        path: `/query/field.${n}`,
        code: 'NX_ERR_SUBMISSION_FILTER_MASKED',
        message: {
          'zh-CN': `字段“${n}”是个人信息，您只能看到遮蔽值，不能按它筛选`,
          en: `Field "${n}" is personal data you see masked: it cannot be a filter`,
        },
        hint: {
          'zh-CN': '请按姓名、单位或日期筛选，或请有 pii 权限的用户查询',
          en: 'Filter by name, org unit or date, or ask a user with pii',
        },
      })),
    );
  }

  app.post(
    '/api/forms/:id/submissions',
    {
      schema: {
        tags: ['submissions'],
        summary: '新建填报 / create a submission; send Idempotency-Key so a retry stores nothing twice',
        params: IdParam,
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        body: Type.Object(
          {
            data: Data,
            orgUnit: Type.Optional(Type.String({ pattern: '^\\d{6,12}$' })),
            status: Type.Optional(Status),
            period: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('Submission'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, ...WRITER_ROLES);
      const key = request.headers['idempotency-key'];
      const r = await submissions.create(p, request.params.id, request.body, key);
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      reply.header('etag', `"${r.submission.version}"`);
      return reply.status(201).send(await present.submission(p, r.submission));
    },
  );

  app.get(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: '读取填报 / one submission (404 outside your subtree)',
        params: IdParam,
        response: { 200: Type.Ref('Submission'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = who(request);
      const s = await submissions.get(p, request.params.id);
      reply.header('etag', `"${s.version}"`);
      return present.submission(p, s);
    },
  );

  app.patch(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: '修改填报 / update; `version` (or If-Match) must be current, else 409',
        params: IdParam,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: Type.Object(
          {
            data: Type.Optional(Data),
            status: Type.Optional(Status),
            version: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Submission'), 412: Type.Ref('ErrorBody'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, ...WRITER_ROLES);
      const version = request.body.version ?? ifMatchVersion(request.headers['if-match']);
      if (version === undefined) {
        throw httpError('NX_ERR_HTTP_BAD_REQUEST', [
          {
            path: '/body/version',
            code: 'NX_ERR_HTTP_BAD_REQUEST',
            message: { 'zh-CN': '需要 version 或 If-Match', en: 'version or If-Match is required' },
          },
        ]);
      }
      const s = await submissions.update(p, request.params.id, { ...request.body, version });
      reply.header('etag', `"${s.version}"`);
      return present.submission(p, s);
    },
  );

  app.delete(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: '删除填报（软删除）/ soft-delete; If-Match optional',
        params: IdParam,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        response: { 204: Type.Null(), 412: Type.Ref('ErrorBody'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, ...DELETER_ROLES);
      await submissions.delete(p, request.params.id, ifMatchVersion(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/submissions/:id/audit',
    {
      schema: {
        tags: ['submissions'],
        summary: '修改记录 / the audit trail of a submission, oldest first',
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = who(request);
      const s = await submissions.get(p, request.params.id);
      const entries = await listAudit(db, 'submission', s.id);
      return { items: await present.audit(p, s, entries) };
    },
  );
};
