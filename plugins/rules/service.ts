import { type LogicBudget, todayInChina } from '../../engine/entry/runtime.ts';
import type { CompiledRuleset, Decision } from './compile-ruleset.ts';
import { rulesError } from './errors.ts';
import { orgChain } from './org-chain.ts';
import { type ParameterCatalog, parameterCatalog } from './parameter-catalog.ts';
import { type AreaType, loadParameterRecords, lookupOf, type ParameterSource } from './parameters.ts';

export interface EvaluateRequest {
  readonly orgCode: string;
  /** YYYY-MM-DD; today (China time) when omitted. */
  readonly asOf?: string;
  readonly area?: AreaType | null;
  readonly chain?: readonly string[];
  /** A request's logic budget to spend (many decisions in one request); else one per decision. */
  readonly budget?: LogicBudget | undefined;
}

/** Rulesets by id over one parameter source: what the routes, the effect and the CLI call. */
export interface RulesService {
  ids(): string[];
  get(id: string): CompiledRuleset | undefined;
  /** The parameters the loaded rulesets declare: what every write of a standard is checked against. */
  readonly catalog: ParameterCatalog;
  evaluate(id: string, data: Readonly<Record<string, unknown>>, req: EvaluateRequest): Promise<Decision>;
}

export function createRulesService(args: {
  readonly rulesets: readonly CompiledRuleset[];
  readonly source: ParameterSource;
  readonly today?: () => string;
}): RulesService {
  const byId = new Map(args.rulesets.map((r) => [r.ruleset.id, r]));
  const today = args.today ?? (() => todayInChina());
  const get = (id: string) => byId.get(id);
  const catalog = parameterCatalog(args.rulesets.map((r) => r.ruleset));
  return {
    ids: () => [...byId.keys()].sort(),
    get,
    catalog,
    async evaluate(id, data, req) {
      const compiled = get(id);
      if (!compiled) {
        throw rulesError('NX_ERR_RULES_NOT_FOUND', {
          'zh-CN': `找不到规则集“${id}”（现有：${[...byId.keys()].join(', ') || '无'}）`,
          en: `Ruleset "${id}" not found (known: ${[...byId.keys()].join(', ') || 'none'})`,
        });
      }
      // Parameters are read fresh on every call: a standard changed a moment ago applies at once.
      // Only what can apply: the units the value is resolved along, in force by the date.
      const asOf = req.asOf ?? today();
      const records = await loadParameterRecords(args.source, compiled.parameterNames, {
        orgCodes: req.chain ?? orgChain(req.orgCode),
        asOf,
      });
      return compiled.evaluate(data, {
        asOf,
        orgCode: req.orgCode,
        parameters: lookupOf(records),
        ...(req.area !== undefined ? { area: req.area } : {}),
        ...(req.chain ? { chain: req.chain } : {}),
        ...(req.budget ? { budget: req.budget } : {}),
      });
    },
  };
}
