import { didYouMean } from '../../engine/entry/definition.ts';
import type { ErrorDetail, Text } from '../../engine/entry/plugin.ts';
import { type RulesCode, rulesError } from './errors.ts';
import type { AreaType, ParameterRecord } from './parameters.ts';
import type { OrgLevel, ParameterType, Ruleset, RulesetParameter } from './ruleset-schema.ts';

/**
 * The parameters the loaded rulesets declare, by store name. It is what every write of a standard
 * is checked against (CLI, API, page, seed — all through `setParameter`): a name nobody declares
 * is refused with the nearest declared name, a value out of range or of the wrong kind with its
 * bounds, and an area or level the declaration does not allow.
 */

export interface ParameterDeclaration {
  readonly name: string;
  readonly label: Text;
  readonly description?: Text;
  readonly unit?: string;
  readonly type: ParameterType;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly areas?: readonly ('urban' | 'rural' | 'both')[];
  readonly levels?: readonly OrgLevel[];
  readonly default?: number;
  /** The rulesets that read it. */
  readonly rulesets: readonly string[];
}

export interface ParameterCatalog {
  names(): string[];
  get(name: string): ParameterDeclaration | undefined;
  /** Problems of a record (pointers `/name`, `/value`, `/area`, `/orgCode`); empty when it may be stored. */
  check(record: ParameterRecord): ErrorDetail[];
}

/** The level of an org unit from its code (GB/T 2260, 9 digits for townships, 12 for villages). */
export function orgLevelOf(code: string): OrgLevel {
  if (code.length >= 12) return 'village';
  if (code.length >= 9) return 'township';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

const LEVEL_ZH: Record<OrgLevel, string> = {
  province: '省',
  city: '市（州）',
  county: '县（市、区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};

const detail = (path: string, code: string, zh: string, en: string, params?: Record<string, unknown>) => ({
  path,
  code,
  message: { 'zh-CN': zh, en },
  ...(params ? { params } : {}),
});

/** Where a value breaks its declaration's type or bounds (what the loader also checks of a default). */
export function valueProblem(d: RulesetParameter | ParameterDeclaration, value: number): Text | undefined {
  if (!Number.isFinite(value))
    return { 'zh-CN': '取值必须是有限数字', en: 'The value must be a finite number' };
  if (d.type === 'integer' && !Number.isInteger(value))
    return { 'zh-CN': `取值 ${value} 必须是整数`, en: `The value ${value} must be a whole number` };
  if (d.type === 'boolean' && value !== 0 && value !== 1)
    return {
      'zh-CN': `取值 ${value} 必须是 0（关）或 1（开）`,
      en: `The value ${value} must be 0 (off) or 1 (on)`,
    };
  // Money is kept in whole fen: 650.005 would be compared as something no one wrote down.
  if (d.type === 'money' && Math.abs(Math.round(value * 100) - value * 100) > 1e-6)
    return {
      'zh-CN': `金额 ${value} 最多两位小数（到分）`,
      en: `The amount ${value} has more than 2 decimals (fen)`,
    };
  const unit = d.unit ? ` ${d.unit}` : '';
  if (d.minimum !== undefined && value < d.minimum)
    return {
      'zh-CN': `取值 ${value}${unit} 小于下限 ${d.minimum}${unit}`,
      en: `The value ${value}${unit} is below the minimum ${d.minimum}${unit}`,
    };
  if (d.maximum !== undefined && value > d.maximum)
    return {
      'zh-CN': `取值 ${value}${unit} 大于上限 ${d.maximum}${unit}`,
      en: `The value ${value}${unit} is above the maximum ${d.maximum}${unit}`,
    };
  return undefined;
}

const areaKey = (a: AreaType | null) => (a === null ? 'both' : a);

/**
 * One catalog over rulesets. Two rulesets reading the same store name share one series, so their
 * declarations must agree on the type; the accepted range is what both accept.
 */
export function parameterCatalog(rulesets: readonly Ruleset[]): ParameterCatalog {
  const byName = new Map<string, ParameterDeclaration>();
  for (const rs of rulesets) {
    for (const p of Object.values(rs.parameters)) {
      const prev = byName.get(p.name);
      if (!prev) {
        byName.set(p.name, { ...p, rulesets: [rs.id] });
        continue;
      }
      if (prev.type !== p.type)
        throw rulesError('NX_ERR_RULES_BAD_DECLARATION', {
          'zh-CN': `参数 ${p.name} 在规则集 ${prev.rulesets.join(', ')} 中为 ${prev.type}，在 ${rs.id} 中为 ${p.type}`,
          en: `Parameter ${p.name} is declared ${prev.type} in ${prev.rulesets.join(', ')} and ${p.type} in ${rs.id}`,
        });
      const min = [prev.minimum, p.minimum].filter((x): x is number => x !== undefined);
      const max = [prev.maximum, p.maximum].filter((x): x is number => x !== undefined);
      byName.set(p.name, {
        ...prev,
        ...(min.length ? { minimum: Math.max(...min) } : {}),
        ...(max.length ? { maximum: Math.min(...max) } : {}),
        rulesets: [...prev.rulesets, rs.id],
      });
    }
  }
  const names = () => [...byName.keys()].sort();
  return {
    names,
    get: (name) => byName.get(name),
    check(record) {
      const d = byName.get(record.name);
      if (!d) {
        const near = didYouMean(record.name, byName.keys());
        return [
          detail(
            '/name',
            'NX_ERR_RULES_UNDECLARED_PARAMETER',
            `没有规则集声明参数“${record.name}”${near ? `，是否要写“${near}”？` : ''}（已声明：${names().join(', ')}）`,
            `No ruleset declares the parameter "${record.name}"${near ? `; did you mean "${near}"?` : ''} (declared: ${names().join(', ')})`,
            { name: record.name, ...(near ? { suggestion: near } : {}) },
          ),
        ];
      }
      const out: ErrorDetail[] = [];
      const bad = valueProblem(d, record.value);
      if (bad)
        out.push({
          path: '/value',
          code: 'NX_ERR_RULES_PARAMETER_OUT_OF_RANGE',
          message: { 'zh-CN': `${d.label['zh-CN']}：${bad['zh-CN']}`, en: `${d.label.en}: ${bad.en}` },
          params: {
            name: d.name,
            value: record.value,
            ...(d.minimum !== undefined ? { minimum: d.minimum } : {}),
            ...(d.maximum !== undefined ? { maximum: d.maximum } : {}),
          },
        });
      if (d.areas && !d.areas.includes(areaKey(record.area)))
        out.push(
          detail(
            '/area',
            'NX_ERR_RULES_PARAMETER_NOT_ALLOWED',
            `${d.label['zh-CN']} 只能按 ${d.areas.join('、')} 设置，不能按 ${areaKey(record.area)}`,
            `${d.label.en} is set per ${d.areas.join(', ')}, not ${areaKey(record.area)}`,
            { name: d.name, areas: d.areas },
          ),
        );
      const level = orgLevelOf(record.orgCode);
      if (d.levels && !d.levels.includes(level))
        out.push(
          detail(
            '/orgCode',
            'NX_ERR_RULES_PARAMETER_NOT_ALLOWED',
            `${d.label['zh-CN']} 只能由 ${d.levels.map((l) => LEVEL_ZH[l]).join('、')} 设置，${record.orgCode} 是${LEVEL_ZH[level]}`,
            `${d.label.en} may be set by ${d.levels.join(', ')} units only; ${record.orgCode} is a ${level}`,
            { name: d.name, levels: d.levels, level },
          ),
        );
      return out;
    },
  };
}

/** Throws the catalog's problems of `record` as one 400 error (the first one's code), or returns. */
export function assertDeclared(catalog: ParameterCatalog, record: ParameterRecord): void {
  const problems = catalog.check(record);
  const first = problems[0];
  if (!first) return;
  throw rulesError(
    first.code as RulesCode,
    {
      'zh-CN': problems.map((p) => p.message['zh-CN']).join('；'),
      en: problems.map((p) => p.message.en).join('; '),
    },
    problems,
  );
}
