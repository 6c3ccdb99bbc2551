import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import {
  definePlugin,
  NxError,
  type OperationRegistry,
  type PluginDefinition,
  todayInChina,
} from '../../engine/index.ts';
import { type CompiledRuleset, compileRuleset } from './compile-ruleset.ts';
import { loadRulesetFile } from './load-ruleset.ts';
import { createMemoryParameterSource, type ParameterSource } from './parameters.ts';
import { DEMO_PARAMETERS_FILE, loadParameterFile } from './params-file.ts';
import { createRulesService, type RulesService } from './service.ts';

export * from './compile-ruleset.ts';
export * from './load-ruleset.ts';
export * from './org-chain.ts';
export * from './parameters.ts';
export * from './params-file.ts';
export * from './ruleset-schema.ts';
export * from './run-cases.ts';
export * from './service.ts';
export * from './template.ts';
export * from './what-if.ts';

/** The rulesets that ship with the plugin. */
export const BUILTIN_RULESETS_DIR = fileURLToPath(new URL('./rulesets/', import.meta.url));

export const RulesConfig = Type.Object(
  {
    rulesetsDir: Type.String({ default: BUILTIN_RULESETS_DIR, description: 'Folder of *.json rulesets' }),
    parametersFile: Type.String({
      default: DEMO_PARAMETERS_FILE,
      description: 'Parameter file used until the database-backed store is configured',
    }),
  },
  { additionalProperties: false },
);

/** Loads and compiles every `*.json` ruleset of a folder (not `*.cases.json`); any problem stops start-up. */
export function loadRulesetsDir(dir: string, operations?: OperationRegistry): CompiledRuleset[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.cases.json'))
    .sort();
  return files.map((f) => {
    const r = loadRulesetFile(join(dir, f), operations ? { operations } : {});
    if (!r.ok) {
      const lines = r.problems
        .map((p) => `${p.file ?? f}#${p.pointer} ${p.code}: ${p.message.en}`)
        .join('; ');
      throw new NxError('NX_ERR_RULES_INVALID_RULESET', 400, {
        'zh-CN': `规则集 ${f} 有错误：${r.problems.map((p) => `${p.pointer} ${p.message['zh-CN']}`).join('；')}`,
        en: `Ruleset ${f} has problems: ${lines}`,
      });
    }
    return compileRuleset(r.value, operations ? { operations } : {});
  });
}

function routes(service: RulesService): FastifyPluginAsync {
  return async (app) => {
    app.get('/rulesets', async () => ({ rulesets: service.ids() }));
    app.post<{
      Params: { ruleset: string };
      Body: { data: Record<string, unknown>; orgCode: string; asOf?: string };
    }>(
      '/:ruleset/evaluate',
      {
        schema: {
          body: Type.Object(
            {
              data: Type.Record(Type.String(), Type.Unknown()),
              orgCode: Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }),
              asOf: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) =>
        service.evaluate(req.params.ruleset, req.body.data, {
          orgCode: req.body.orgCode,
          ...(req.body.asOf ? { asOf: req.body.asOf } : {}),
        }),
    );
  };
}

/**
 * The rules plugin. `source` is where parameters come from; by default the file named in the
 * config (the demo parameters), until the database-backed source is wired in.
 */
export function createRulesPlugin(opts: { source?: ParameterSource } = {}) {
  let service: RulesService | undefined;
  const plugin = definePlugin({
    name: 'rules',
    version: '0.1.0',
    engine: '^0.1.0',
    config: RulesConfig,
    description: {
      'zh-CN': '规则集与参数：可解释的救助认定',
      en: 'Rulesets and parameters: explainable eligibility',
    },
    setup(api) {
      const rulesets = loadRulesetsDir(resolve(api.config.rulesetsDir), api.operations);
      let source = opts.source;
      if (!source) {
        const params = loadParameterFile(resolve(api.config.parametersFile));
        if (!params.ok) {
          throw new Error(
            `parameter file ${api.config.parametersFile}: ${params.problems.map((p) => `${p.pointer} ${p.message.en}`).join('; ')}`,
          );
        }
        source = createMemoryParameterSource(params.value);
      }
      const svc = createRulesService({ rulesets, source });
      service = svc;
      api.effects.register({
        name: 'rules.evaluate',
        description:
          'Evaluates a ruleset (default household-eligibility) on the submission; the decision is recorded with the transition',
        async run(ctx) {
          const id = typeof ctx.params?.ruleset === 'string' ? ctx.params.ruleset : 'household-eligibility';
          const orgCode = ctx.submission.orgUnit;
          if (!orgCode) {
            throw new NxError('NX_ERR_RULES_INVALID_PARAMETER', 400, {
              'zh-CN': '提交缺少所属单位，无法确定适用的标准',
              en: 'The submission has no org unit, so no standard can be chosen',
            });
          }
          const asOf =
            typeof ctx.params?.asOf === 'string' ? ctx.params.asOf : todayInChina(Date.parse(ctx.now));
          // The case's org path runs province-down; resolution wants the nearest unit first.
          const chain = ctx.instance?.caseOrgPath?.length
            ? [...ctx.instance.caseOrgPath].reverse()
            : undefined;
          const decision = await svc.evaluate(id, ctx.submission.data, {
            orgCode,
            asOf,
            ...(chain ? { chain } : {}),
          });
          return { decision };
        },
      });
      api.routes.register(routes(svc));
      api.log.info('rulesets loaded', { rulesets: svc.ids() });
    },
  });
  return Object.assign(plugin, {
    /** The service of the set-up plugin (undefined before setup), for the server and the CLI. */
    service: () => service,
  }) satisfies PluginDefinition<typeof RulesConfig>;
}

export default createRulesPlugin();
