import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { loadKindDir, valuesOrThrow } from '../../engine/entry/definition.ts';
import {
  definePlugin,
  type ErrorDetail,
  NxError,
  type PluginDefinition,
  type Text,
} from '../../engine/entry/plugin.ts';
import { type OperationRegistry, todayInChina } from '../../engine/entry/runtime.ts';
import { type Database, hasTable, readSubmissions } from '../../engine/entry/server.ts';
import { type CompiledRuleset, compileRuleset } from './compile-ruleset.ts';
import { createDecisionsAsOf } from './decisions-as-of.ts';
import { RULES_CODES, rulesError } from './errors.ts';
import { monitoringRoutes } from './monitoring/routes.ts';
import { createMemoryParameterSource, type ParameterSource } from './parameters.ts';
import { DEMO_PARAMETERS_FILE, loadParameterFile } from './params-file.ts';
import { decisionsSection, type RecordSectionHost } from './record-section.ts';
import { parameterRoutes, rulesRoutes } from './routes.ts';
import { ruleCasesKind, rulesetKind } from './ruleset-kind.ts';
import { createRulesService, type RulesService } from './service.ts';
import { createDbParameterSource, listStoredParameters, setParameter } from './store/db-parameters.ts';
import { type DecideAsOfRequest, decideAsOf, decisionDateOf } from './store/decide-as-of.ts';
import { decisionJoin } from './store/decision-join.ts';
import { decisionInForce, latestOutputs, saveDecision } from './store/decisions.ts';
import { RULES_MIGRATIONS } from './store/tables.ts';

export * from './compile-ruleset.ts';
export * from './decisions-as-of.ts';
export * from './errors.ts';
export * from './load-ruleset.ts';
export * from './monitoring/index.ts';
export * from './org-chain.ts';
export * from './parameter-catalog.ts';
export * from './parameters.ts';
export * from './params-file.ts';
export * from './routes.ts';
export * from './ruleset-kind.ts';
export * from './ruleset-schema.ts';
export * from './run-cases.ts';
export * from './service.ts';
export * from './store/db-parameters.ts';
export * from './store/db-what-if.ts';
export * from './store/decide-as-of.ts';
export * from './store/decisions.ts';
export * from './store/tables.ts';
export * from './template.ts';
export * from './what-if.ts';

/** The rulesets that ship with the plugin. */
export const BUILTIN_RULESETS_DIR = fileURLToPath(new URL('./rulesets/', import.meta.url));

export const RulesConfig = Type.Object(
  {
    rulesetsDir: Type.String({ default: BUILTIN_RULESETS_DIR, description: 'Folder of *.json rulesets' }),
    parametersFile: Type.String({
      default: DEMO_PARAMETERS_FILE,
      description:
        'Parameters used where no database is at hand (a workflow run without a store); also what the demo seed loads into rule_parameters',
    }),
    evaluateOnSubmit: Type.Array(
      Type.Object(
        {
          form: Type.String({ description: 'Form id, e.g. household-survey' }),
          ruleset: Type.String({ description: 'Ruleset id, e.g. household-eligibility' }),
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'Forms whose submissions get a decision of a ruleset as soon as they are submitted (not as drafts), stored in rule_decisions in the same transaction: the roster and the case page show the family at once; the workflow re-evaluates later',
      },
    ),
    monitoring: Type.Object(
      {
        intervalMs: Type.Integer({
          minimum: 0,
          default: 60_000,
          description:
            'How often a running server queues changed standards and works through the monitoring jobs (0: only on request, `nuanxin monitoring run` or POST /api/monitoring/run)',
        }),
        batchSize: Type.Integer({
          minimum: 1,
          maximum: 10_000,
          default: 200,
          description: 'Families per batch',
        }),
        register: Type.String({
          default: 'households',
          description:
            "Only each active record's current survey of this register is re-decided (every survey when the register's table does not exist)",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

const invalidRuleset = (m: Text, e: ErrorDetail[]) => rulesError('NX_ERR_RULES_INVALID_RULESET', m, e);

/** Loads and compiles every ruleset of a folder (not `*.cases.json`); any problem stops start-up, all of them listed. */
export function loadRulesetsDir(dir: string, operations?: OperationRegistry): CompiledRuleset[] {
  const opts = operations ? { operations } : {};
  const rulesets = valuesOrThrow(loadKindDir(rulesetKind(), dir, opts), invalidRuleset, {
    'zh-CN': `规则集目录 ${dir}`,
    en: `The rulesets in ${dir}`,
  });
  return rulesets.map((rs) => compileRuleset(rs, opts));
}

/** The outputs a workflow's history keeps of a decision (the full explanation is in `rule_decisions`). */
export const DECISION_SUMMARY_KEYS = [
  'inRoster',
  'hardshipType',
  'dibaoCandidate',
  'entitlement',
  'perCapitaMonthlyIncome',
] as const;

/** The version of the saved submission: from the hook's payload when the save pipeline gives it, else read in the save's transaction. */
async function versionOf(p: {
  readonly submissionId: string;
  readonly db?: Kysely<Database>;
  readonly version?: unknown;
}): Promise<number | null> {
  if (typeof p.version === 'number') return p.version;
  if (!p.db) return null;
  const [row] = await readSubmissions(p.db, [p.submissionId], { withData: false });
  return row ? row.version : null;
}

/**
 * The rules plugin: rulesets from a folder, parameters from `rule_parameters` (its own table),
 * the routes `/api/parameters` and `/api/rules`, the workflow effect `rules.evaluate`, and a
 * demo seed. `source` replaces the parameter source everywhere (tests); without it, the server
 * and the effect read the database and only a run without a store reads the config's file.
 */
export function createRulesPlugin(opts: { source?: ParameterSource } = {}) {
  let service: RulesService | undefined;
  let serviceOf: ((db: Kysely<Database>) => RulesService) | undefined;
  const ready = (): ((db: Kysely<Database>) => RulesService) => {
    if (!serviceOf) throw new Error('the rules plugin is not set up yet');
    return serviceOf;
  };
  const plugin = definePlugin({
    name: 'rules',
    version: '0.2.0',
    engine: '^0.1.0',
    // Its decisions join a register record's answer when the registers plugin is loaded too.
    optionalDependsOn: ['registers'],
    errors: RULES_CODES,
    config: RulesConfig,
    description: {
      'zh-CN': '规则集与参数：可解释的救助认定',
      en: 'Rulesets and parameters: explainable eligibility',
    },
    setup(api) {
      const dir = resolve(api.config.rulesetsDir);
      api.definitions.register(rulesetKind(dir));
      api.definitions.register(ruleCasesKind(dir));
      const rulesets = loadRulesetsDir(dir, api.operations);
      const fileRecords = () => {
        const params = loadParameterFile(resolve(api.config.parametersFile));
        if (!params.ok) {
          throw new Error(
            `parameter file ${api.config.parametersFile}: ${params.problems.map((p) => `${p.pointer} ${p.message.en}`).join('; ')}`,
          );
        }
        return params.value;
      };
      const fallback = opts.source ?? createMemoryParameterSource(fileRecords());
      const svc = createRulesService({ rulesets, source: fallback });
      const serviceFor = (db: Kysely<Database>) =>
        opts.source ? svc : createRulesService({ rulesets, source: createDbParameterSource(db) });
      service = svc;
      // For the plugins that depend on this one (they declare what they use of it themselves).
      api.services.provide({
        /** The rules over the standards in `db` (rule_parameters), or the configured file without a store. */
        rulesFor: (db?: Kysely<Database>) => (db ? serviceFor(db) : svc),
        /** The newest stored decision's outputs per submission. */
        latestOutputs,
        /**
         * Decisions of many submissions as of a date: stored ones in force, else evaluated with
         * the standards in `rule_parameters` (the configured file while that table is absent).
         */
        decisionsAsOf: createDecisionsAsOf(async (db) =>
          !opts.source && (await hasTable(db, 'rule_parameters')) ? serviceFor(db) : svc,
        ),
        /** Decides a submission as of a date with the standards in force then (stored with `store: true`). */
        decideAsOf: (db: Kysely<Database>, req: DecideAsOfRequest) => decideAsOf(db, serviceFor(db), req),
        /** The stored decision in force for a subject on a date. */
        decisionInForce,
        /** The decision in force as SQL joined to a list's pages, with the filter's tests on typed outputs. */
        decisionJoin,
      });
      serviceOf = serviceFor;
      api.services.find<RecordSectionHost>('registers')?.addRecordSection(decisionsSection);

      for (const [name, migration] of Object.entries(RULES_MIGRATIONS))
        api.migrations.register(name, migration);

      api.effects.register({
        name: 'rules.evaluate',
        references: { ruleset: 'ruleset' },
        description:
          "Evaluates a ruleset (default household-eligibility) on the submission and stores the decision in rule_decisions, in the transition's transaction",
        async run(ctx) {
          const id = typeof ctx.params?.ruleset === 'string' ? ctx.params.ruleset : 'household-eligibility';
          const orgCode = ctx.submission.orgUnit;
          if (!orgCode) {
            throw rulesError('NX_ERR_RULES_INVALID_PARAMETER', {
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
          const db = ctx.db;
          const decision = await (db ? serviceFor(db) : svc).evaluate(id, ctx.submission.data, {
            orgCode,
            asOf,
            ...(chain ? { chain } : {}),
          });
          const stored =
            db && ctx.submission.id !== undefined
              ? await saveDecision(db, {
                  submissionId: ctx.submission.id,
                  decision,
                  createdBy: ctx.actor?.id ?? null,
                })
              : undefined;
          const summary: Record<string, unknown> = {};
          for (const k of DECISION_SUMMARY_KEYS) summary[k] = decision.outputs[k] ?? null;
          return {
            ...summary,
            ruleset: decision.ruleset,
            asOf: decision.asOf,
            ...(stored ? { decisionId: stored.id } : {}),
          };
        },
      });

      const onSubmit = new Map(api.config.evaluateOnSubmit.map((e) => [e.form, e.ruleset]));
      for (const [form, id] of onSubmit) {
        if (!svc.ids().includes(id))
          throw new Error(
            `evaluateOnSubmit: form ${form} names ruleset ${id}, which is not loaded (${svc.ids().join(', ')})`,
          );
      }
      const warned = new Set<string>();
      if (onSubmit.size > 0) {
        api.hooks.on('afterSubmissionSave', async (p) => {
          const id = onSubmit.get(p.formId);
          if (!id || !p.db || !p.orgCode || p.status === 'draft') return;
          try {
            const service = serviceFor(p.db);
            const compiled = service.get(id);
            // Dated by the survey date (the standards in force that day), not the day of entry.
            const asOf = compiled
              ? decisionDateOf(compiled, p.data, todayInChina(Date.now()))
              : todayInChina(Date.now());
            const decision = await service.evaluate(id, p.data, { orgCode: p.orgCode, asOf });
            await saveDecision(p.db, {
              submissionId: p.submissionId,
              decision,
              createdBy: null,
              subject: { type: 'submission', id: p.submissionId, version: await versionOf(p) },
            });
          } catch (err) {
            // A missing standard must not cost the field worker the survey: the eligibility
            // check of the workflow evaluates again and shows the reviewer what is missing.
            if (!(err instanceof NxError)) throw err;
            // Once per unit and reason: a bulk import into a unit without standards would
            // otherwise write one line per row.
            const key = `${p.orgCode}:${err.code}`;
            if (warned.size < 1000 && !warned.has(key)) {
              warned.add(key);
              api.log.warn('not evaluated on submit (later ones for this unit not logged)', {
                submissionId: p.submissionId,
                orgCode: p.orgCode,
                ruleset: id,
                code: err.code,
              });
            }
          }
        });
      }

      api.routes.mount('parameters', parameterRoutes(serviceFor));
      api.routes.mount('rules', rulesRoutes(serviceFor));
      api.routes.mount('monitoring', monitoringRoutes(serviceFor, api.config.monitoring));

      api.seeds.register({
        name: 'demo-parameters',
        description: "The demo standards (the config's parameter file) into an empty rule_parameters",
        async run(db) {
          if ((await listStoredParameters(db)).length > 0) return 'kept the parameters already stored';
          const records = fileRecords();
          await db.transaction().execute(async (trx) => {
            for (const r of records) await setParameter(trx, r, { actor: null }, svc.catalog);
          });
          return `${records.length} parameter values`;
        },
      });
      api.log.info('rulesets loaded', { rulesets: svc.ids() });
    },
  });
  return Object.assign(plugin, {
    /** The service over the fallback source (undefined before setup), for runs without a store. */
    service: () => service,
    /** The rules service over a database (parameters read from its `rule_parameters`). */
    serviceFor: (db: Kysely<Database>) => ready()(db),
    /**
     * Decides a submission as of a date with the standards in force on it (and stores it with
     * `store: true`); `not-known` when its survey is dated after that date. Scope is the caller's.
     */
    decideAsOf: (db: Kysely<Database>, req: DecideAsOfRequest) => decideAsOf(db, ready()(db), req),
    /** The stored decision in force for a subject on a date (one indexed query). */
    decisionInForce,
  }) satisfies PluginDefinition<typeof RulesConfig>;
}

export default createRulesPlugin();
