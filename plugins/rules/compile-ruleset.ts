import type { NxError, Text } from '../../engine/entry/plugin.ts';
import {
  collectVars,
  compileLogic,
  type Evaluator,
  LOGIC_MAX_STEPS,
  type LogicBudget,
  type LogicEnv,
  type OperationRegistry,
  truthy,
  withLogicBudget,
} from '../../engine/entry/runtime.ts';
import { rulesError } from './errors.ts';
import type { AreaType, ParameterLookup, ResolvedParameter } from './parameters.ts';
import type { Ruleset } from './ruleset-schema.ts';
import { compileTemplate } from './template.ts';

/** The operands of one comparison inside a rule, as evaluated: `{ op: '<=', operands: [523.33, 650] }`. */
export interface Comparison {
  readonly op: string;
  readonly operands: readonly unknown[];
}

/** Why a rule passed or failed: the values it read, what it compared, and its reason text rendered. */
export interface RuleExplanation {
  readonly id: string;
  readonly label: Text;
  readonly passed: boolean;
  /** Every name the rule reads, with its value. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly comparisons: readonly Comparison[];
  readonly reason: Text;
}

/** A parameter as applied; `default: true` when no org unit defined it and the ruleset's default was used. */
export type AppliedParameter =
  | ResolvedParameter
  | { readonly name: string; readonly value: number; readonly default: true };

export interface Decision {
  readonly ruleset: string;
  readonly version: number;
  readonly asOf: string;
  readonly orgCode: string;
  readonly area: AreaType | null;
  readonly parameters: Readonly<Record<string, AppliedParameter>>;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Empty when evaluated with `explain: false`. */
  readonly explanation: readonly RuleExplanation[];
}

export interface EvaluateOptions {
  /** YYYY-MM-DD the decision is made as of (which standard is in force). */
  readonly asOf: string;
  /** The org unit of the household (village, township or county code). */
  readonly orgCode: string;
  readonly parameters: ParameterLookup;
  /** Overrides the area read from the submission. */
  readonly area?: AreaType | null;
  /** The org unit's ancestors, nearest first, when the caller knows the tree. */
  readonly chain?: readonly string[];
  /** false skips the explanation (bulk runs such as what-if only need the outputs). */
  readonly explain?: boolean;
  /** A request's logic budget to spend (a run over many households); else one budget per decision. */
  readonly budget?: LogicBudget | undefined;
}

export interface CompiledRuleset {
  readonly ruleset: Ruleset;
  /** Store names of the parameters the ruleset reads (to load them once). */
  readonly parameterNames: readonly string[];
  evaluate(data: Readonly<Record<string, unknown>>, opts: EvaluateOptions): Decision;
}

const COMPARISONS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=', 'in']);
const CONNECTIVES = new Set(['and', 'or', '!', '!!']);

interface CompiledComparison {
  op: string;
  operands: Evaluator[];
}

/** The comparisons a reviewer wants to see: the top one, or each one under and/or/not. */
function comparisonsOf(rule: unknown, ops: OperationRegistry | undefined): CompiledComparison[] {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return [];
  const keys = Object.keys(rule);
  if (keys.length !== 1) return [];
  const op = keys[0] as string;
  const raw = (rule as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  if (COMPARISONS.has(op)) return [{ op, operands: args.map((a) => compileLogic(a, ops)) }];
  if (CONNECTIVES.has(op)) return args.flatMap((a) => comparisonsOf(a, ops));
  return [];
}

function readPath(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

const asArea = (v: unknown): AreaType | null => (v === 'urban' || v === 'rural' ? v : null);

/**
 * Compiles a checked ruleset once (see `loadRuleset`); `evaluate` then only runs closures.
 * Facts are computed in order, then every rule, then the outputs.
 */
export function compileRuleset(
  ruleset: Ruleset,
  opts: { operations?: OperationRegistry } = {},
): CompiledRuleset {
  const ops = opts.operations;
  const area = ruleset.area === undefined ? undefined : compileLogic(ruleset.area, ops);
  const params = Object.entries(ruleset.parameters);
  const facts = ruleset.facts.map((f) => ({ id: f.id, value: compileLogic(f.value, ops) }));
  const reason = (t: Text) => {
    const zh = compileTemplate(t['zh-CN']);
    const en = compileTemplate(t.en);
    return (view: unknown): Text => ({ 'zh-CN': zh(view), en: en(view) });
  };
  const rules = ruleset.rules.map((r) => {
    const passedReason = reason(r.reason);
    return {
      rule: r,
      when: compileLogic(r.when, ops),
      // The values a rule reads, each path split once: `ctx.asOf` from the context, the rest from the facts.
      reads: collectVars(r.when, ops).map((path) =>
        path.startsWith('ctx.')
          ? { path, inCtx: true, segments: path.slice(4).split('.') }
          : { path, inCtx: false, segments: path.split('.') },
      ),
      comparisons: comparisonsOf(r.when, ops),
      passedReason,
      failedReason: r.reasonIfFailed ? reason(r.reasonIfFailed) : passedReason,
    };
  });
  const outputs = ruleset.outputs.map((o) => ({ id: o.id, value: compileLogic(o.value, ops) }));

  return {
    ruleset,
    parameterNames: [...new Set(params.map(([, p]) => p.name))],
    evaluate(data, o) {
      // One decision is one budget; given a request's budget, it spends that one.
      return withLogicBudget(() => {
        const areaType =
          o.area !== undefined ? o.area : area ? asArea(area({ data: { input: data } })) : null;
        const ctx = { asOf: o.asOf, orgCode: o.orgCode, area: areaType };
        const scope: Record<string, unknown> = { input: data };
        const applied: Record<string, AppliedParameter> = {};
        for (const [alias, p] of params) {
          const found = o.parameters({
            name: p.name,
            orgCode: o.orgCode,
            area: areaType,
            asOf: o.asOf,
            ...(o.chain ? { chain: o.chain } : {}),
          });
          const value: AppliedParameter | undefined =
            found ??
            (p.default !== undefined ? { name: p.name, value: p.default, default: true } : undefined);
          if (!value) throw missingParameter(p.name, o.orgCode, areaType, o.asOf);
          applied[alias] = value;
          scope[alias] = value.value;
        }
        const env: LogicEnv = { data: scope, ctx };
        const factValues: Record<string, unknown> = {};
        for (const f of facts) {
          const v = f.value(env);
          scope[f.id] = v;
          factValues[f.id] = v;
        }
        const results: Record<string, boolean> = {};
        const explanation: RuleExplanation[] = [];
        // What reason texts read: the facts and parameters, and the context as `ctx.…`.
        const view = o.explain === false ? null : { ...scope, ctx };
        for (const r of rules) {
          const passed = truthy(r.when(env));
          results[r.rule.id] = passed;
          if (o.explain === false) continue;
          const values: Record<string, unknown> = {};
          for (const x of r.reads) values[x.path] = readPath(x.inCtx ? ctx : scope, x.segments);
          explanation.push({
            id: r.rule.id,
            label: r.rule.label,
            passed,
            values,
            comparisons: r.comparisons.map((c) => ({ op: c.op, operands: c.operands.map((ev) => ev(env)) })),
            reason: (passed ? r.passedReason : r.failedReason)(view),
          });
        }
        const out: Record<string, unknown> = {};
        const outEnv: LogicEnv = { data: { ...scope, rules: results, outputs: out }, ctx };
        for (const x of outputs) out[x.id] = x.value(outEnv);
        return {
          ruleset: ruleset.id,
          version: ruleset.version,
          asOf: o.asOf,
          orgCode: o.orgCode,
          area: areaType,
          parameters: applied,
          facts: factValues,
          outputs: out,
          explanation,
        };
      }, o.budget ?? LOGIC_MAX_STEPS);
    },
  };
}

function missingParameter(name: string, orgCode: string, area: AreaType | null, asOf: string): NxError {
  const where = `${orgCode}${area ? ` (${area})` : ''}`;
  return rulesError(
    'NX_ERR_RULES_PARAMETER_MISSING',
    {
      'zh-CN': `参数 ${name} 在 ${where} 及其上级单位于 ${asOf} 没有生效的值`,
      en: `Parameter ${name} has no value in force on ${asOf} for ${where} or any unit above it`,
    },
    [
      {
        path: '',
        code: 'NX_ERR_RULES_PARAMETER_MISSING',
        message: { 'zh-CN': `缺少参数 ${name}`, en: `Missing parameter ${name}` },
        params: { name, orgCode, area, asOf },
      },
    ],
  );
}
