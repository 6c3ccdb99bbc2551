import { checkDefinition, type DefinitionChecks, readJsonFile } from '../../engine/entry/definition.ts';
import { childPointer, type LoadResult } from '../../engine/entry/plugin.ts';
import type { OperationRegistry } from '../../engine/entry/runtime.ts';
import { valueProblem } from './parameter-catalog.ts';
import { RESERVED_NAMES, Ruleset } from './ruleset-schema.ts';
import { templateNames } from './template.ts';

/**
 * Checks a ruleset like the form loader checks a form: the schema first, then what a schema
 * cannot say — unique names, every `var` and `{{placeholder}}` naming something defined before
 * it, every JSON Logic rule compiling. All problems are reported, each with its JSON pointer.
 */
export function loadRuleset(
  json: unknown,
  opts: { file?: string; operations?: OperationRegistry } = {},
): LoadResult<Ruleset> {
  return checkDefinition(Ruleset, json, opts, rulesetChecks);
}

function rulesetChecks(rs: Ruleset, { add, rule: compile }: DefinitionChecks): void {
  // Parameter aliases and facts share one namespace: rules read both as plain names.
  const defined = new Map<string, string>();
  const claim = (name: string, pointer: string) => {
    if ((RESERVED_NAMES as readonly string[]).includes(name)) {
      add(
        'NX_ERR_RULES_DUPLICATE_NAME',
        pointer,
        `“${name}”是保留名称`,
        `"${name}" is reserved`,
        `改用其他名称（保留：${RESERVED_NAMES.join(', ')}）`,
        `Choose another name (reserved: ${RESERVED_NAMES.join(', ')})`,
      );
      return;
    }
    const first = defined.get(name);
    if (first !== undefined) {
      add(
        'NX_ERR_RULES_DUPLICATE_NAME',
        pointer,
        `名称“${name}”已在 ${first} 定义`,
        `"${name}" is already defined at ${first}`,
        '每个参数别名和事实使用不同的名称',
        'Give every parameter alias and fact its own name',
      );
      return;
    }
    defined.set(name, pointer);
  };

  const check = (rule: unknown, pointer: string, allowed: (root: string, path: string) => boolean) => {
    for (const path of compile(rule, pointer) ?? []) {
      const root = path.split('.')[0] ?? path;
      if (!allowed(root, path)) unknownName(path, pointer);
    }
  };
  const unknownName = (path: string, pointer: string) =>
    add(
      'NX_ERR_RULES_UNKNOWN_NAME',
      pointer,
      `引用了未定义的名称“${path}”`,
      `Refers to "${path}", which is not defined`,
      `可用：${[...defined.keys()].join(', ')}；input.<字段>、ctx.asOf/orgCode/area`,
      `Known: ${[...defined.keys()].join(', ')}; input.<field>, ctx.asOf/orgCode/area`,
    );

  // Each alias is a declaration: its bounds must make sense and its default must pass them.
  const storeNames = new Map<string, string>();
  for (const [alias, p] of Object.entries(rs.parameters)) {
    const ptr = childPointer('/parameters', alias);
    claim(alias, ptr);
    const twice = storeNames.get(p.name);
    if (twice !== undefined)
      add(
        'NX_ERR_RULES_DUPLICATE_NAME',
        `${ptr}/name`,
        `参数 ${p.name} 已在 ${twice} 声明`,
        `Parameter ${p.name} is already declared at ${twice}`,
        '每个参数只声明一次，规则共用同一别名',
        'Declare each parameter once and let rules share its alias',
      );
    storeNames.set(p.name, ptr);
    if (p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum)
      add(
        'NX_ERR_RULES_BAD_DECLARATION',
        `${ptr}/minimum`,
        `下限 ${p.minimum} 大于上限 ${p.maximum}`,
        `The minimum ${p.minimum} is above the maximum ${p.maximum}`,
        '改正上下限',
        'Correct the bounds',
      );
    else if (p.default !== undefined) {
      const bad = valueProblem(p, p.default);
      if (bad)
        add(
          'NX_ERR_RULES_BAD_DECLARATION',
          `${ptr}/default`,
          `默认值无效：${bad['zh-CN']}`,
          `The default is invalid: ${bad.en}`,
          '使默认值符合类型与上下限',
          "Make the default fit the parameter's type and bounds",
        );
    }
  }
  const base = (root: string, path: string) =>
    root === 'input' || (root === 'ctx' && /^ctx\.(asOf|orgCode|area)$/.test(path)) || defined.has(root);

  if (rs.area !== undefined) check(rs.area, '/area', (root) => root === 'input');
  for (const [i, fact] of rs.facts.entries()) {
    const ptr = childPointer('/facts', i);
    check(fact.value, `${ptr}/value`, base); // only names defined so far: facts are computed in order
    claim(fact.id, `${ptr}/id`);
  }

  const ruleIds = new Set<string>();
  for (const [i, rule] of rs.rules.entries()) {
    const ptr = childPointer('/rules', i);
    if (ruleIds.has(rule.id))
      add(
        'NX_ERR_RULES_DUPLICATE_NAME',
        `${ptr}/id`,
        `规则“${rule.id}”重复`,
        `Rule "${rule.id}" is defined twice`,
        '每条规则使用不同的 id',
        'Give every rule its own id',
      );
    ruleIds.add(rule.id);
    check(rule.when, `${ptr}/when`, base);
    for (const key of ['reason', 'reasonIfFailed'] as const) {
      const t = rule[key];
      if (!t) continue;
      for (const lang of ['zh-CN', 'en'] as const) {
        for (const name of templateNames(t[lang])) {
          if (!base(name.split('.')[0] ?? name, name)) unknownName(name, childPointer(ptr, key, lang));
        }
      }
    }
  }

  const outputIds = new Set<string>();
  for (const [i, out] of rs.outputs.entries()) {
    const ptr = childPointer('/outputs', i);
    check(out.value, `${ptr}/value`, (root, path) => {
      if (root === 'rules') return ruleIds.has(path.slice('rules.'.length));
      if (root === 'outputs') return outputIds.has(path.slice('outputs.'.length));
      return base(root, path);
    });
    if (outputIds.has(out.id))
      add(
        'NX_ERR_RULES_DUPLICATE_NAME',
        `${ptr}/id`,
        `输出“${out.id}”重复`,
        `Output "${out.id}" is defined twice`,
        '每个输出使用不同的 id',
        'Give every output its own id',
      );
    outputIds.add(out.id);
  }
}

/** Reads and checks a ruleset file; an unreadable file or a JSON syntax error (with line and column) is a problem. */
export function loadRulesetFile(
  path: string,
  opts: { operations?: OperationRegistry } = {},
): LoadResult<Ruleset> {
  const read = readJsonFile(path);
  return read.ok ? loadRuleset(read.value, { file: path, ...opts }) : read;
}
