import { childPointer, type Problem, problem } from '../definition/problem.ts';
import { didYouMean } from '../definition/suggest.ts';
import { text } from '../i18n.ts';
import { defaultOperationRegistry } from '../logic/registry.ts';
import { isCalendarDate, parseDuration } from './duration.ts';
import type { EffectRegistry } from './effects.ts';
import { guardProblems } from './guard-problems.ts';
import type { LoadWorkflowOptions } from './load-workflow.ts';
import { DEFAULT_ROLES, type WorkflowDefinition } from './workflow-schema.ts';

function effectNames(effects: LoadWorkflowOptions['effects']): Set<string> {
  if (effects === undefined) return new Set();
  return new Set(Array.isArray(effects) ? effects : (effects as EffectRegistry).names());
}

/** Checks that need the whole definition: references between its parts and to the outside. */
export function workflowProblems(def: WorkflowDefinition, opts: LoadWorkflowOptions): Problem[] {
  const file = opts.file;
  const out: Problem[] = [];
  const add = (
    code: string,
    pointer: string,
    zh: string,
    en: string,
    hintZh: string,
    hintEn: string,
    params?: Record<string, unknown>,
  ) =>
    out.push(
      problem(code, pointer, text(zh, en), text(hintZh, hintEn), { file, ...(params ? { params } : {}) }),
    );
  const states = new Set(Object.keys(def.states));
  const stateList = [...states].join(', ');
  const checkState = (id: string, pointer: string) => {
    if (states.has(id)) return true;
    const guess = didYouMean(id, states);
    add(
      'NX_ERR_WF_UNKNOWN_STATE',
      pointer,
      `不存在的状态 "${id}"`,
      `Unknown state "${id}"`,
      guess ? `是否应为 "${guess}"？` : `已定义的状态：${stateList}`,
      guess ? `Did you mean "${guess}"?` : `Defined states: ${stateList}`,
      { state: id, ...(guess ? { suggestion: guess } : {}) },
    );
    return false;
  };

  if (opts.forms !== undefined && !Object.hasOwn(opts.forms, def.form)) {
    const known = Object.keys(opts.forms);
    const guess = didYouMean(def.form, known);
    add(
      'NX_ERR_WF_UNKNOWN_FORM',
      '/form',
      `不存在的表单 "${def.form}"`,
      `Unknown form "${def.form}"`,
      guess ? `是否应为 "${guess}"？` : `已有表单：${known.join(', ')}`,
      guess ? `Did you mean "${guess}"?` : `Known forms: ${known.join(', ')}`,
      { form: def.form },
    );
  }
  const fields =
    opts.forms !== undefined && Object.hasOwn(opts.forms, def.form) ? opts.forms[def.form] : undefined;
  checkState(def.initial, '/initial');

  const roles = new Set<string>(opts.roles ?? DEFAULT_ROLES);
  const effects = effectNames(opts.effects);
  const operations = opts.operations ?? defaultOperationRegistry();
  const exits = new Map<string, number[]>();
  const firstAction = new Map<string, number>();
  const timerActions = new Map<string, string>();
  for (const [id, s] of Object.entries(def.states))
    if (s.timer) timerActions.set(`${id}\u0000${s.timer.action}`, id);

  def.transitions.forEach((t, i) => {
    const at = `/transitions/${i}`;
    const from = typeof t.from === 'string' ? [t.from] : t.from;
    from.forEach((f, k) => {
      const fp = typeof t.from === 'string' ? `${at}/from` : `${at}/from/${k}`;
      if (!checkState(f, fp)) return;
      exits.set(f, [...(exits.get(f) ?? []), i]);
      if (def.states[f]?.final) {
        add(
          'NX_ERR_WF_FINAL_HAS_EXIT',
          fp,
          `终止状态 "${f}" 不能再流转`,
          `Final state "${f}" cannot be left`,
          `去掉该状态的 "final"，或改 "from"`,
          `Remove "final" from the state, or change "from"`,
          { state: f },
        );
      }
      const key = `${f}\u0000${t.action}`;
      const first = firstAction.get(key);
      if (first === undefined) firstAction.set(key, i);
      else {
        add(
          'NX_ERR_WF_DUPLICATE_ACTION',
          `${at}/action`,
          `状态 "${f}" 已有动作 "${t.action}"（/transitions/${first}）`,
          `State "${f}" already has action "${t.action}" (/transitions/${first})`,
          '同一状态下的动作名须唯一：改名，或合并两条流转',
          'Action names are unique per state: rename one, or merge the two transitions',
          { state: f, action: t.action, first },
        );
      }
    });
    checkState(t.to, `${at}/to`);

    t.by.forEach((b, j) => {
      if (roles.has(b.role)) return;
      const guess = didYouMean(b.role, roles);
      add(
        'NX_ERR_WF_UNKNOWN_ROLE',
        `${at}/by/${j}/role`,
        `未知角色 "${b.role}"`,
        `Unknown role "${b.role}"`,
        guess ? `是否应为 "${guess}"？` : `角色：${[...roles].join(', ')}`,
        guess ? `Did you mean "${guess}"?` : `Roles: ${[...roles].join(', ')}`,
        { role: b.role, ...(guess ? { suggestion: guess } : {}) },
      );
    });
    if (t.by.length === 0 && !from.some((f) => timerActions.has(`${f}\u0000${t.action}`))) {
      add(
        'NX_ERR_WF_NO_ACTOR',
        `${at}/by`,
        `动作 "${t.action}" 无人可执行，也没有定时器触发`,
        `No one may take "${t.action}" and no timer fires it`,
        '在 "by" 中列出角色和层级，或在来源状态上设置 "timer"',
        'List a role and level in "by", or give the source state a "timer" naming this action',
        { action: t.action },
      );
    }
    if (t.countersign) {
      const byRoles = new Set(t.by.map((b) => b.role));
      const cs = new Set(t.countersign.roles);
      t.countersign.roles.forEach((r, k) => {
        if (byRoles.has(r)) return;
        add(
          'NX_ERR_WF_COUNTERSIGN_ROLE',
          `${at}/countersign/roles/${k}`,
          `会签角色 "${r}" 不在 "by" 中，永远无人能签`,
          `Countersign role "${r}" is not in "by", so no one could ever sign`,
          `在 "by" 中加入 { "role": "${r}", "level": … }`,
          `Add { "role": "${r}", "level": … } to "by"`,
          { role: r },
        );
      });
      t.by.forEach((b, j) => {
        if (cs.has(b.role)) return;
        add(
          'NX_ERR_WF_COUNTERSIGN_ROLE',
          `${at}/by/${j}/role`,
          `"${b.role}" 可执行会签动作，却不是会签角色`,
          `"${b.role}" may take a countersigned action but is not one of its roles`,
          `把 "${b.role}" 加入 countersign.roles，或从 "by" 中去掉`,
          `Add "${b.role}" to countersign.roles, or remove it from "by"`,
          { role: b.role },
        );
      });
    }
    const inputIds = new Set<string>();
    (t.input ?? []).forEach((inp, k) => {
      if (!inputIds.has(inp.id)) inputIds.add(inp.id);
      else
        add(
          'NX_ERR_WF_DUPLICATE_INPUT',
          `${at}/input/${k}/id`,
          `填写项 "${inp.id}" 重复`,
          `Input "${inp.id}" is listed twice`,
          '删除或改名其中一项',
          'Remove or rename one of them',
          { input: inp.id },
        );
    });
    (t.effects ?? []).forEach((e, k) => {
      if (effects.has(e.name)) return;
      const guess = didYouMean(e.name, effects);
      const plugin = e.name.includes('.') ? e.name.slice(0, e.name.indexOf('.')) : e.name;
      add(
        'NX_ERR_WF_UNKNOWN_EFFECT',
        `${at}/effects/${k}/name`,
        `未注册的效果 "${e.name}"：执行到此步时将无法完成`,
        `Effect "${e.name}" is not registered: the step could never complete`,
        guess
          ? `是否应为 "${guess}"？`
          : `先注册提供它的插件（如 "${plugin}" 插件）再加载本流程；已注册：${[...effects].join(', ') || '无'}`,
        guess
          ? `Did you mean "${guess}"?`
          : `Register the plugin that provides it (e.g. the "${plugin}" plugin) before loading this workflow; registered: ${[...effects].join(', ') || 'none'}`,
        { effect: e.name, registered: [...effects], ...(guess ? { suggestion: guess } : {}) },
      );
    });
    if (t.guard !== undefined) out.push(...guardProblems(t.guard, `${at}/guard`, fields, operations, file));
  });

  for (const [id, s] of Object.entries(def.states)) {
    const at = childPointer('/states', id);
    const durations: [string | undefined, string][] = [
      [s.timer?.after, `${at}/timer/after`],
      [s.deadline?.after, `${at}/deadline/after`],
    ];
    for (const [d, p] of durations) {
      if (d === undefined || parseDuration(d) !== null) continue;
      add(
        'NX_ERR_WF_BAD_DURATION',
        p,
        `"${d}" 不是有效的 ISO 8601 时长`,
        `"${d}" is not a valid ISO 8601 duration`,
        '写法如 P7D（7 天）、PT12H（12 小时）、P1M（1 个月）、P1Y2M3DT4H；只用整数',
        'Write e.g. P7D (7 days), PT12H (12 hours), P1M (1 month), P1Y2M3DT4H; whole numbers only',
        { duration: d },
      );
    }
    if (s.timer && !(exits.get(id) ?? []).some((i) => def.transitions[i]?.action === s.timer?.action)) {
      const own = (exits.get(id) ?? []).map((i) => def.transitions[i]?.action);
      add(
        'NX_ERR_WF_TIMER_ACTION',
        `${at}/timer/action`,
        `定时器的动作 "${s.timer.action}" 不能从 "${id}" 执行`,
        `The timer's action "${s.timer.action}" does not leave "${id}"`,
        `从 "${id}" 出发的动作：${own.join(', ') || '无'}`,
        `Actions leaving "${id}": ${own.join(', ') || 'none'}`,
        { state: id, action: s.timer.action },
      );
    }
    if (s.deadline !== undefined && (s.deadline.after === undefined) === (s.deadline.periods === undefined)) {
      add(
        'NX_ERR_WF_BAD_DEADLINE',
        `${at}/deadline`,
        '期限须且只能写 "after" 或 "periods" 之一',
        'A deadline has exactly one of "after" or "periods"',
        '按时长：{ "after": "P3D" }；按报告期：{ "periods": [{ "id": …, "due": "2021-06-03" }] }',
        'By duration: { "after": "P3D" }; per period: { "periods": [{ "id": …, "due": "2021-06-03" }] }',
      );
    }
    const seenPeriods = new Set<string>();
    (s.deadline?.periods ?? []).forEach((p, k) => {
      if (!isCalendarDate(p.due)) {
        add(
          'NX_ERR_WF_BAD_DATE',
          `${at}/deadline/periods/${k}/due`,
          `日期 "${p.due}" 不存在`,
          `"${p.due}" is not a real date`,
          '检查月份和日期',
          'Check the month and the day',
          { date: p.due },
        );
      }
      if (seenPeriods.has(p.id)) {
        add(
          'NX_ERR_WF_DUPLICATE_PERIOD',
          `${at}/deadline/periods/${k}/id`,
          `报告期 "${p.id}" 重复`,
          `Period "${p.id}" is listed twice`,
          '每个报告期只列一次',
          'List each period once',
          { period: p.id },
        );
      }
      seenPeriods.add(p.id);
    });
    if (!s.final && (exits.get(id) ?? []).length === 0) {
      add(
        'NX_ERR_WF_DEAD_END',
        at,
        `状态 "${id}" 不是终止状态，却没有任何出口`,
        `State "${id}" is not final but nothing leaves it`,
        '添加从该状态出发的流转，或标记 "final": true',
        'Add a transition from it, or mark it "final": true',
        { state: id },
      );
    }
  }

  if (states.has(def.initial)) {
    const reached = new Set([def.initial]);
    const queue = [def.initial];
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
      for (const i of exits.get(s) ?? []) {
        const to = def.transitions[i]?.to;
        if (to !== undefined && states.has(to) && !reached.has(to)) {
          reached.add(to);
          queue.push(to);
        }
      }
    }
    for (const id of states) {
      if (reached.has(id)) continue;
      add(
        'NX_ERR_WF_UNREACHABLE_STATE',
        childPointer('/states', id),
        `从初始状态 "${def.initial}" 无法到达状态 "${id}"`,
        `State "${id}" cannot be reached from the initial state "${def.initial}"`,
        '添加进入该状态的流转，或删除该状态',
        'Add a transition into it, or remove the state',
        { state: id },
      );
    }
  }
  return out;
}
