import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { canSeePii, hasRole } from '../../auth/principal.ts';
import { loadForm } from '../../definition/load-form.ts';
import type { Problem } from '../../definition/problem.ts';
import { httpCodes } from '../../errors/codes-http.ts';
import type { ErrorDetail } from '../../errors/nx-error.ts';
import { applyOverlay } from '../../forms/apply-overlay.ts';
import { formOwnerPath, ownsForm, setFormOwner } from '../../forms/form-owner.ts';
import { formVersions, listForms, publishDraft, type StoredForm, saveDraft } from '../../forms/form-store.ts';
import { loadOverlay } from '../../forms/load-overlay.ts';
import { publishedOverlaysOf, saveOverlay } from '../../forms/overlay-store.ts';
import { droppedPii } from '../../forms/pii.ts';
import { getOrgUnit, unitInSubtree } from '../../org/org-units.ts';
import { httpError, notFound } from '../http-error.ts';
import { requireRole, who } from '../principal-hook.ts';
import { Data, errorResponses, IdParam } from '../schemas.ts';

const problemsToErrors = (problems: readonly Problem[]): ErrorDetail[] =>
  problems.map((p) => ({ path: p.pointer, code: p.code, message: p.message, hint: p.hint }));

const Unit = Type.Object({ code: Type.String(), name: Type.String() });

const Definition = Type.Unknown({ description: 'A form definition (see schemas/form.schema.json)' });

const StoredFormSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  status: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  definition: Definition,
});

const formJson = (f: StoredForm) => ({
  id: f.id,
  version: f.version,
  status: f.status,
  publishedAt: f.publishedAt,
  definition: f.definition,
});

/** The parent path of a unit's path (`/510000/511900/` → `/510000/`); overlays above a unit come from there. */
const parentPath = (path: string) => path.replace(/[^/]+\/$/, '');

export const formRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.nuanxin;

  app.get(
    '/api/forms',
    {
      schema: {
        tags: ['forms'],
        summary: '表单列表 / every form with its newest and published version',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                title: Type.Unknown(),
                latestVersion: Type.Integer(),
                latestStatus: Type.String(),
                publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      who(request);
      const items = (await listForms(db)).map(({ latest, publishedVersion }) => ({
        id: latest.id,
        title: latest.definition.title,
        latestVersion: latest.version,
        latestStatus: latest.status,
        publishedVersion,
      }));
      return { items };
    },
  );

  const checkDefinition = (json: unknown) => {
    const r = loadForm(json, app.nuanxin.loadOptions);
    if (!r.ok) throw httpError('NX_ERR_FORM_INVALID', problemsToErrors(r.problems));
    return r.value;
  };

  app.post(
    '/api/forms',
    {
      schema: {
        tags: ['forms'],
        summary: '新建表单（草稿）/ create a form as a draft (admin)',
        body: Definition,
        response: { 201: StoredFormSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const def = checkDefinition(request.body);
      if ((await formVersions(db, def.id)).length > 0) throw httpError('NX_ERR_FORM_EXISTS');
      const saved = await saveDraft(db, def, p.username);
      await setFormOwner(db, def.id, p.orgCode);
      return reply.status(201).send(formJson(saved));
    },
  );

  app.get(
    '/api/forms/:id',
    {
      schema: {
        tags: ['forms'],
        summary:
          '生效表单 / the effective form for your org unit (base + overlays of your ancestors), or for a unit of your subtree (?org=)',
        params: IdParam,
        querystring: Type.Object({
          version: Type.Optional(Type.Integer({ minimum: 1 })),
          org: Type.Optional(
            Type.String({
              pattern: '^\\d{6,12}$',
              description: 'A unit of your subtree: the form as filled there (its overlays); 404 outside',
            }),
          ),
        }),
        response: {
          200: Type.Object({
            id: Type.String(),
            version: Type.Integer(),
            definition: Definition,
            overlays: Type.Array(
              Type.Object({ id: Type.String(), orgUnit: Type.String(), version: Type.Integer() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = who(request);
      // A reviewer reads (and prints) a village's submission in the village's form.
      let path = p.orgPath;
      if (request.query.org !== undefined) {
        const org = await getOrgUnit(db, request.query.org);
        if (!org || !unitInSubtree(org, p.orgPath)) throw notFound();
        path = org.path;
      }
      const eff = await app.nuanxin.forms.get(request.params.id, path, request.query.version);
      if (!eff || (eff.status === 'draft' && !hasRole(p, 'admin'))) throw notFound();
      return {
        id: request.params.id,
        version: eff.version,
        definition: eff.definition,
        overlays: eff.overlays.map((o) => ({ id: o.id, orgUnit: o.orgCode, version: o.version })),
      };
    },
  );

  app.post(
    '/api/forms/:id/versions',
    {
      schema: {
        tags: ['forms'],
        summary:
          '保存新版本草稿 / save a new draft version (admin of the owning unit or above); published versions never change',
        description:
          'A version that stops masking a personal field of the previous one needs `unmask=<field>,…` naming each such field, from an admin holding `pii`.',
        params: IdParam,
        querystring: Type.Object({ unmask: Type.Optional(Type.String({ maxLength: 2000 })) }),
        body: Definition,
        response: { 201: StoredFormSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const versions = await formVersions(db, request.params.id);
      const latest = versions[0];
      if (!latest) throw notFound();
      if (!ownsForm(p, await formOwnerPath(db, request.params.id))) throw httpError('NX_ERR_FORM_NOT_OWNER');
      const def = checkDefinition(request.body);
      if (def.id !== request.params.id) throw httpError('NX_ERR_FORM_ID_MISMATCH');
      const confirmed = new Set((request.query.unmask ?? '').split(',').filter(Boolean));
      const dropped = droppedPii(latest.definition, def);
      const unconfirmed = canSeePii(p) ? dropped.filter((f) => !confirmed.has(f)) : dropped;
      if (unconfirmed.length > 0) {
        throw httpError(
          'NX_ERR_FORM_PII_DROPPED',
          unconfirmed.map((f) => ({
            path: `/query/unmask`,
            code: 'NX_ERR_FORM_PII_DROPPED',
            message: {
              'zh-CN': `字段“${f}”在上一版本中被遮蔽，新版本不再遮蔽`,
              en: `Field "${f}" was masked in the previous version and is not in this one`,
            },
            hint: {
              'zh-CN': `保留该字段的 "pii": true，或由有 pii 权限的管理员加 unmask=${f} 确认`,
              en: `Keep "pii": true on the field, or have an admin with pii confirm with unmask=${f}`,
            },
          })),
        );
      }
      return reply.status(201).send(formJson(await saveDraft(db, def, p.username)));
    },
  );

  app.post(
    '/api/forms/:id/check',
    {
      schema: {
        tags: ['forms'],
        summary:
          '检查定义 / check a definition as saving it would, and name the units publishing it reaches (admin of the owning unit or above); nothing is saved',
        description:
          '`errors`: every problem with its JSON pointer (the loader of the save, with the configured plugins). `reach.owner`: the unit whose subtree uses the form; `reach.overlays`: each unit with a published overlay of the form, and whether that overlay still applies to this definition (its problems point into the overlay).',
        params: IdParam,
        body: Definition,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            errors: Type.Array(Type.Unknown()),
            reach: Type.Object({
              owner: Type.Union([Unit, Type.Null()]),
              overlays: Type.Array(
                Type.Object({
                  ...Unit.properties,
                  version: Type.Integer(),
                  errors: Type.Array(Type.Unknown()),
                }),
              ),
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const ownerPath = await formOwnerPath(db, request.params.id);
      if (!ownsForm(p, ownerPath)) throw httpError('NX_ERR_FORM_NOT_OWNER');
      const r = loadForm(request.body, app.nuanxin.loadOptions);
      const errors: ErrorDetail[] = r.ok ? [] : problemsToErrors(r.problems);
      if (r.ok && r.value.id !== request.params.id)
        errors.push({
          path: '/id',
          code: 'NX_ERR_FORM_ID_MISMATCH',
          message: httpCodes.NX_ERR_FORM_ID_MISMATCH.message,
        });
      const unit = async (code: string) => ({ code, name: (await getOrgUnit(db, code))?.name ?? code });
      const ownerCode = ownerPath?.split('/').filter(Boolean).at(-1);
      const overlays = [];
      for (const o of await publishedOverlaysOf(db, request.params.id)) {
        const applied = r.ok ? applyOverlay(r.value, o.overlay) : undefined;
        overlays.push({
          ...(await unit(o.orgCode)),
          version: o.version,
          errors: applied && !applied.ok ? problemsToErrors(applied.problems) : [],
        });
      }
      return {
        ok: errors.length === 0,
        errors,
        reach: { owner: ownerCode ? await unit(ownerCode) : null, overlays },
      };
    },
  );

  app.post(
    '/api/forms/:id/publish',
    {
      schema: {
        tags: ['forms'],
        summary:
          '发布草稿 / publish the draft (admin of the owning unit or above); the previous version is retired',
        params: IdParam,
        response: { 200: StoredFormSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      if ((await formVersions(db, request.params.id)).length === 0) throw notFound();
      if (!ownsForm(p, await formOwnerPath(db, request.params.id))) throw httpError('NX_ERR_FORM_NOT_OWNER');
      const published = await publishDraft(db, request.params.id, p.username);
      if (!published) throw httpError('NX_ERR_FORM_NO_DRAFT');
      app.nuanxin.forms.invalidate();
      return formJson(published);
    },
  );

  app.post(
    '/api/forms/:id/overlays',
    {
      schema: {
        tags: ['forms'],
        summary: '发布地方调整 / publish an overlay of the form for an org unit of your subtree (admin)',
        params: IdParam,
        body: Type.Object(
          {
            orgUnit: Type.Optional(Type.String({ pattern: '^\\d{6,12}$' })),
            overlay: Type.Unknown({ description: 'See schemas/overlay.schema.json' }),
            publish: Type.Optional(Type.Boolean({ default: true })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            formId: Type.String(),
            orgUnit: Type.String(),
            version: Type.Integer(),
            status: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const org = await getOrgUnit(db, request.body.orgUnit ?? p.orgCode);
      if (!unitInSubtree(org, p.orgPath)) throw httpError('NX_ERR_ORG_NOT_IN_SCOPE');
      const above = await app.nuanxin.forms.compose(request.params.id, parentPath(org.path));
      if (!above) throw notFound();
      const checked = loadOverlay(request.body.overlay, above.definition, app.nuanxin.loadOptions);
      if (!checked.ok) throw httpError('NX_ERR_FORM_OVERLAY_INVALID', problemsToErrors(checked.problems));
      const stored = await saveOverlay(db, {
        formId: request.params.id,
        orgCode: org.code,
        orgPath: org.path,
        overlay: checked.value.overlay,
        publish: request.body.publish ?? true,
        actor: p.username,
      });
      app.nuanxin.forms.invalidate();
      return reply.status(201).send({
        id: stored.id,
        formId: stored.formId,
        orgUnit: stored.orgCode,
        version: stored.version,
        status: stored.status,
      });
    },
  );

  app.post(
    '/api/forms/:id/validate',
    {
      schema: {
        tags: ['forms'],
        summary: '试校验 / validate data against the effective form without saving',
        params: IdParam,
        body: Type.Object(
          {
            data: Data,
            status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('submitted')])),
            orgUnit: Type.Optional(Type.String({ pattern: '^\\d{6,12}$' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            data: Data,
            errors: Type.Array(Type.Unknown()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = who(request);
      const org = await getOrgUnit(db, request.body.orgUnit ?? p.orgCode);
      if (!unitInSubtree(org, p.orgPath)) throw httpError('NX_ERR_ORG_NOT_IN_SCOPE');
      const eff = await app.nuanxin.forms.get(request.params.id, org.path);
      if (!eff) throw notFound();
      const mode = (request.body.status ?? 'submitted') === 'draft' ? 'draft' : 'submit';
      const r = eff.compiled.validate(request.body.data, { mode, orgUnit: org.code });
      return { ok: r.ok, data: app.nuanxin.present.data(p, eff.definition, r.data), errors: r.errors };
    },
  );
};
