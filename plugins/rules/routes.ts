import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { NxError } from '../../engine/entry/plugin.ts';
import { todayInChina } from '../../engine/entry/runtime.ts';
import {
  type Database,
  DateParam,
  getOrgUnit,
  httpError,
  listSubtree,
  type OrgUnit,
  requireRole,
  unitInSubtree,
  who,
} from '../../engine/entry/server.ts';
import type { CompiledRuleset } from './compile-ruleset.ts';
import { rulesError } from './errors.ts';
import { AreaType, resolveParameter } from './parameters.ts';
import type { RulesService } from './service.ts';
import {
  checkParameterRecord,
  listStoredParameters,
  setParameter,
  withdrawParameter,
} from './store/db-parameters.ts';
import { chainOfPath, previewParameterChange, whatIfFromDb } from './store/db-what-if.ts';
import { decideAsOf } from './store/decide-as-of.ts';
import { decisionInForce } from './store/decisions.ts';

/**
 * The rules plugin's HTTP API, mounted as whole areas: `/api/parameters` (the standards, per org
 * unit, area and date) and `/api/rules` (evaluate, what-if). Every read and write is bounded by
 * the caller's subtree; a unit outside it is the same 404 as one that does not exist.
 */

const OrgCode = Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' });
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Name = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

/** The unit `code` when it lies in the caller's subtree, else 404. */
async function unitInScope(db: Kysely<Database>, req: FastifyRequest, code: string): Promise<OrgUnit> {
  const unit = await getOrgUnit(db, code);
  if (!unitInSubtree(unit, who(req).orgPath)) throw httpError('NX_ERR_HTTP_NOT_FOUND');
  return unit;
}

/** Units whose standards a caller may read: its ancestors (inherited values) and its subtree. */
async function visibleOrgCodes(db: Kysely<Database>, orgPath: string): Promise<string[]> {
  const below = await listSubtree(db, orgPath);
  return [...new Set([...orgPath.split('/').filter(Boolean), ...below.map((r) => r.code)])];
}

/** A store error's pointers (`/name`, `/value` …) as pointers into the request (`/params/name`, `/body/value`). */
function inRequest(e: unknown): unknown {
  if (!(e instanceof NxError) || !e.errors) return e;
  return new NxError(
    e.code,
    e.statusCode,
    e.messageText,
    e.errors.map((d) => ({ ...d, path: d.path === '/name' ? '/params/name' : `/body${d.path}` })),
  );
}

/** The parameter write routes need the declarations (catalog) and the rulesets that read each parameter. */
export function parameterRoutes(serviceFor: (db: Kysely<Database>) => RulesService): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const db = () => app.nuanxin.db;
    const service = serviceFor(app.nuanxin.db);

    app.get(
      '/declared',
      {
        schema: {
          tags: ['rules'],
          summary:
            '规则集声明的参数 / the parameters the rulesets declare (name, label, unit, type, range, areas, levels)',
        },
      },
      async () => ({ items: service.catalog.names().map((n) => service.catalog.get(n)) }),
    );

    app.get(
      '/',
      {
        schema: {
          tags: ['rules'],
          summary: '参数列表 / standards in force above and below your unit',
          querystring: Type.Object({
            name: Type.Optional(Name),
            orgCode: Type.Optional(OrgCode),
            area: Type.Optional(Type.Union([AreaType, Type.Literal('both')])),
          }),
        },
      },
      async (req) => {
        const visible = await visibleOrgCodes(db(), who(req).orgPath);
        const { name, orgCode, area } = req.query;
        const items = await listStoredParameters(db(), {
          ...(name ? { name } : {}),
          orgCodes: orgCode ? visible.filter((c) => c === orgCode) : visible,
          ...(area ? { area: area === 'both' ? null : area } : {}),
        });
        return { items };
      },
    );

    app.get(
      '/:name',
      {
        schema: {
          tags: ['rules'],
          summary:
            '一项参数：各单位的取值及某单位某日生效的值 / one standard: its series and the value in force',
          params: Type.Object({ name: Name }),
          querystring: Type.Object({
            orgCode: Type.Optional(OrgCode),
            area: Type.Optional(AreaType),
            asOf: Type.Optional(DateParam),
          }),
        },
      },
      async (req) => {
        const p = who(req);
        const unit = await unitInScope(db(), req, req.query.orgCode ?? p.orgCode);
        const visible = await visibleOrgCodes(db(), p.orgPath);
        const items = await listStoredParameters(db(), { name: req.params.name, orgCodes: visible });
        const asOf = req.query.asOf ?? todayInChina();
        const all = await listStoredParameters(db(), { name: req.params.name });
        const resolved =
          resolveParameter(all, {
            name: req.params.name,
            orgCode: unit.code,
            area: req.query.area ?? null,
            asOf,
            chain: chainOfPath(unit.path),
          }) ?? null;
        return { name: req.params.name, orgCode: unit.code, asOf, resolved, items };
      },
    );

    const Body = Type.Object(
      {
        orgCode: OrgCode,
        area: Type.Optional(Type.Union([AreaType, Type.Null()])),
        validFrom: DateString,
        value: Type.Number(),
        note: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    );

    app.put(
      '/:name',
      {
        schema: {
          tags: ['rules'],
          summary:
            '设置参数（管理员，本辖区；dryRun=true 只测算影响不保存）/ set a standard from a date (admin, own subtree; dryRun=true previews its effect without saving)',
          params: Type.Object({ name: Name }),
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
          body: Body,
        },
      },
      async (req, reply) => {
        const p = requireRole(req, 'admin');
        const unit = await unitInScope(db(), req, req.body.orgCode);
        const record = {
          name: req.params.name,
          orgCode: unit.code,
          area: req.body.area ?? null,
          validFrom: req.body.validFrom,
          value: req.body.value,
        };
        try {
          checkParameterRecord(record, service.catalog);
          // What the change does, for every ruleset that reads the parameter, before anything is saved.
          const preview = [];
          for (const id of service.catalog.get(record.name)?.rulesets ?? []) {
            const compiled = service.get(id);
            if (compiled)
              preview.push(await previewParameterChange(db(), compiled, { record, orgPath: unit.path }));
          }
          if (req.query.dryRun) return reply.status(200).send({ dryRun: true, record, preview });
          const r = await setParameter(
            db(),
            record,
            { actor: p.userId, orgPath: unit.path, ...(req.body.note ? { note: req.body.note } : {}) },
            service.catalog,
          );
          return reply.status(r.created ? 201 : 200).send({ ...r, preview });
        } catch (e) {
          throw inRequest(e);
        }
      },
    );

    app.post(
      '/:name/withdraw',
      {
        schema: {
          tags: ['rules'],
          summary:
            '撤回某日起的取值（以新记录取代，留审计）/ withdraw the value from a date (superseded by a new row, audited)',
          params: Type.Object({ name: Name }),
          body: Type.Object(
            {
              orgCode: OrgCode,
              area: Type.Optional(Type.Union([AreaType, Type.Null()])),
              validFrom: DateString,
              note: Type.Optional(Type.String({ maxLength: 500 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const p = requireRole(req, 'admin');
        const unit = await unitInScope(db(), req, req.body.orgCode);
        try {
          const withdrawn = await withdrawParameter(
            db(),
            {
              name: req.params.name,
              orgCode: unit.code,
              area: req.body.area ?? null,
              validFrom: req.body.validFrom,
            },
            { actor: p.userId, orgPath: unit.path, ...(req.body.note ? { note: req.body.note } : {}) },
          );
          return { withdrawn };
        } catch (e) {
          throw inRequest(e);
        }
      },
    );

    app.get(
      '/:name/history',
      {
        schema: {
          tags: ['rules'],
          summary:
            '参数的全部记录（含被取代与撤回的）/ every row of a standard, superseded and withdrawn ones too',
          params: Type.Object({ name: Name }),
          querystring: Type.Object({ orgCode: Type.Optional(OrgCode) }),
        },
      },
      async (req) => {
        const visible = await visibleOrgCodes(db(), who(req).orgPath);
        const orgCode = req.query.orgCode;
        const items = await listStoredParameters(db(), {
          name: req.params.name,
          orgCodes: orgCode ? visible.filter((c) => c === orgCode) : visible,
          history: true,
        });
        return { items };
      },
    );
  };
  return plugin as FastifyPluginAsync;
}

const Proposed = Type.Object(
  {
    name: Name,
    value: Type.Number(),
    area: Type.Optional(Type.Union([AreaType, Type.Null()])),
  },
  { additionalProperties: false },
);

/** `serviceFor` gives the rules service over a database (its parameters are read from there). */
export function rulesRoutes(serviceFor: (db: Kysely<Database>) => RulesService): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const db = () => app.nuanxin.db;
    const service = serviceFor(app.nuanxin.db);
    const compiledOr404 = (id: string): CompiledRuleset => {
      const c = service.get(id);
      if (!c)
        throw rulesError('NX_ERR_RULES_NOT_FOUND', {
          'zh-CN': `找不到规则集“${id}”`,
          en: `Ruleset "${id}" not found`,
        });
      return c;
    };

    app.get('/', { schema: { tags: ['rules'], summary: '规则集 / rulesets' } }, async () => ({
      rulesets: service.ids().map((id) => {
        const r = service.get(id)?.ruleset;
        return { id, version: r?.version, title: r?.title, form: r?.form ?? null };
      }),
    }));

    app.get(
      '/:ruleset',
      {
        schema: {
          tags: ['rules'],
          summary:
            '规则集的名称与单位（页面展示用）/ the words of a ruleset: labels and units of its parameters, facts, rules and outputs',
          params: Type.Object({ ruleset: Type.String({ maxLength: 64 }) }),
        },
      },
      async (req) => {
        who(req);
        const r = compiledOr404(req.params.ruleset).ruleset;
        return {
          id: r.id,
          version: r.version,
          title: r.title,
          form: r.form ?? null,
          parameters: Object.entries(r.parameters ?? {}).map(([id, p]) => ({
            id,
            name: p.name,
            label: p.label,
            unit: p.unit ?? null,
          })),
          facts: r.facts.map((f) => ({ id: f.id, label: f.label, unit: f.unit ?? null })),
          rules: r.rules.map((x) => ({ id: x.id, label: x.label })),
          outputs: r.outputs.map((o) => ({
            id: o.id,
            label: o.label ?? null,
            unit: o.unit ?? null,
            values: o.values ?? [],
          })),
        };
      },
    );

    app.post(
      '/:ruleset/evaluate',
      {
        schema: {
          tags: ['rules'],
          summary: '认定一户（按提交或数据）/ evaluate a stored submission or given data',
          params: Type.Object({ ruleset: Type.String({ maxLength: 64 }) }),
          body: Type.Union([
            Type.Object(
              {
                submissionId: Type.String({ minLength: 1, maxLength: 100 }),
                asOf: Type.Optional(DateString),
              },
              { additionalProperties: false },
            ),
            Type.Object(
              {
                formId: Type.String({ minLength: 1, maxLength: 64 }),
                data: Type.Record(Type.String(), Type.Unknown()),
                orgCode: Type.Optional(OrgCode),
                asOf: Type.Optional(DateString),
              },
              { additionalProperties: false },
            ),
          ]),
        },
      },
      async (req) => {
        const compiled = compiledOr404(req.params.ruleset);
        const body = req.body;
        const asOf = body.asOf ?? todayInChina();
        if ('submissionId' in body) {
          // 404 for a submission outside the caller's subtree, exactly as for a missing one.
          const s = await app.nuanxin.submissions.get(who(req), body.submissionId);
          const unit = await getOrgUnit(db(), s.orgUnit);
          return service.evaluate(compiled.ruleset.id, s.data, {
            orgCode: s.orgUnit,
            asOf,
            ...(unit ? { chain: chainOfPath(unit.path) } : {}),
          });
        }
        const form = compiled.ruleset.form;
        if (form && body.formId !== form)
          throw rulesError('NX_ERR_RULES_INVALID_PARAMETER', {
            'zh-CN': `规则集“${compiled.ruleset.id}”读取表单“${form}”的数据，而不是“${body.formId}”`,
            en: `Ruleset "${compiled.ruleset.id}" reads data of form "${form}", not "${body.formId}"`,
          });
        const unit = await unitInScope(db(), req, body.orgCode ?? who(req).orgCode);
        return service.evaluate(compiled.ruleset.id, body.data, {
          orgCode: unit.code,
          asOf,
          chain: chainOfPath(unit.path),
        });
      },
    );

    app.get(
      '/:ruleset/decisions/:submissionId',
      {
        schema: {
          tags: ['rules'],
          summary:
            '某日生效的认定：已存的与按该日标准重新认定的 / the decision in force on a date: the stored one and one made now as of that date',
          params: Type.Object({
            ruleset: Type.String({ maxLength: 64 }),
            submissionId: Type.String({ minLength: 1, maxLength: 100 }),
          }),
          querystring: Type.Object({ asOf: Type.Optional(DateString) }),
        },
      },
      async (req) => {
        const compiled = compiledOr404(req.params.ruleset);
        // 404 for a submission outside the caller's subtree, exactly as for a missing one.
        await app.nuanxin.submissions.get(who(req), req.params.submissionId);
        const asOf = req.query.asOf ?? todayInChina();
        const args = { rulesetId: compiled.ruleset.id, submissionId: req.params.submissionId, asOf };
        const stored = await decisionInForce(db(), { ...args, subjectId: args.submissionId });
        return { asOf, stored: stored ?? null, decided: await decideAsOf(db(), service, args) };
      },
    );

    app.post(
      '/:ruleset/what-if',
      {
        schema: {
          tags: ['rules'],
          summary: '拟议标准影响测算（按县）/ impact of proposed standards, per county',
          params: Type.Object({ ruleset: Type.String({ maxLength: 64 }) }),
          body: Type.Object(
            {
              orgCode: OrgCode,
              asOf: DateString,
              proposed: Type.Array(Proposed, { minItems: 1, maxItems: 50 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const compiled = compiledOr404(req.params.ruleset);
        const unit = await unitInScope(db(), req, req.body.orgCode);
        const report = await whatIfFromDb(db(), compiled, {
          orgCode: unit.code,
          orgPath: unit.path,
          asOf: req.body.asOf,
          proposed: req.body.proposed,
        });
        return {
          ruleset: compiled.ruleset.id,
          orgCode: unit.code,
          asOf: report.asOf,
          counties: report.counties,
          totals: report.totals,
          // Only the families whose category or cost changes: the rest is in the totals.
          changes: report.households.filter((h) => h.before !== h.after || h.costBefore !== h.costAfter),
        };
      },
    );
  };
  return plugin as FastifyPluginAsync;
}
