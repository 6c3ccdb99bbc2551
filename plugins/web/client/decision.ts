import type { Text } from '../../../engine/entry/plugin.ts';
import { ApiError, api } from './api.ts';
import { h } from './dom.ts';
import { lang, t, tr } from './i18n.ts';
import { unitWords } from './labels.ts';

/** The words of a ruleset (`GET /api/rules/:id`): labels and units of what a decision shows. */
interface Words {
  id: string;
  title: Text;
  parameters: { id: string; name: string; label: Text; unit: string | null }[];
  facts: { id: string; label: Text; unit: string | null }[];
  outputs: {
    id: string;
    label: Text | null;
    unit: string | null;
    values: { value: unknown; label: Text }[];
  }[];
}

interface Decision {
  asOf: string;
  orgCode: string;
  area: 'urban' | 'rural' | null;
  parameters: Record<
    string,
    { name: string; value: number; orgCode?: string; validFrom?: string; default?: true }
  >;
  outputs: Record<string, unknown>;
  explanation: { id: string; label: Text; passed: boolean; reason: Text }[];
}

const number = (v: number): string =>
  v.toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 2 });

/** A value with its unit in the page language: yes/no for a test, the declared word for a coded value. */
export function valueText(
  v: unknown,
  unit: string | null,
  values: readonly { value: unknown; label: Text }[] = [],
): string {
  const named = values.find((x) => x.value === v);
  if (named) return t(named.label);
  if (v === true) return tr('✓ 是', '✓ yes');
  if (v === false) return tr('✗ 否', '✗ no');
  if (v === null || v === undefined) return tr('无', 'none');
  const u = unitWords(unit);
  if (typeof v === 'number') return `${number(v)}${u ? ` ${u}` : ''}`;
  if (typeof v === 'string') return `${v}${u ? ` ${u}` : ''}`;
  if (Array.isArray(v)) return v.map((x) => valueText(x, null)).join('、');
  return tr('（复合值）', '(composite value)');
}

const areaWord = (a: Decision['area']): string =>
  a === 'urban' ? tr('城市', 'urban') : a === 'rural' ? tr('农村', 'rural') : tr('城乡统一', 'both areas');

/**
 * The rules decision of a submission as a reviewer reads it: each output a labelled line with its
 * unit, each rule a line with ✓/✗ and its reason in the page language, the standards used with
 * where and from when they apply. The ruleset is the one declared for the submission's form.
 */
export async function decisionSection(sub: {
  id: string;
  formId: string;
  data?: Record<string, unknown>;
}): Promise<HTMLElement> {
  const section = h(
    'section',
    { id: 'decision', 'aria-labelledby': 'decision-h' },
    h('h2', { id: 'decision-h' }, tr('规则判定', 'Rules decision')),
  );
  const say = (zh: string, en: string) => {
    section.append(h('p', { class: 'muted' }, tr(zh, en)));
    return section;
  };
  let words: Words;
  let d: Decision;
  try {
    const list = await api<{ rulesets: { id: string; form: string | null }[] }>('GET', '/api/rules');
    let rs = list.rulesets.find((r) => r.form === sub.formId);
    let decided = sub.id;
    // An application decides nothing itself: it names a household (the head's ID number) whose
    // latest submitted survey the rules decide.
    if (!rs && typeof sub.data?.headIdNumber === 'string' && !sub.data.headIdNumber.includes('*')) {
      for (const r of list.rulesets) {
        if (!r.form) continue;
        const q = `status=submitted&limit=200&field.headIdNumber=${encodeURIComponent(sub.data.headIdNumber)}`;
        const found = await api<{ items: { id: string }[] }>(
          'GET',
          `/api/forms/${encodeURIComponent(r.form)}/submissions?${q}`,
        ).catch(() => ({ items: [] as { id: string }[] }));
        const latest = found.items.at(-1);
        if (latest) {
          rs = r;
          decided = latest.id;
          // The case page prints this survey (and the family's notice) from it.
          section.dataset.form = r.form;
          section.dataset.submission = latest.id;
          section.append(
            h(
              'p',
              { class: 'muted', id: 'decision-source' },
              tr('依据该户最近一次入户调查', "From the household's latest survey"),
            ),
          );
          break;
        }
      }
    }
    if (!rs) return say('此表单没有规则判定', 'No rules decision for this form');
    [words, d] = await Promise.all([
      api<Words>('GET', `/api/rules/${encodeURIComponent(rs.id)}`),
      api<Decision>('POST', `/api/rules/${encodeURIComponent(rs.id)}/evaluate`, { submissionId: decided }),
    ]);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404)
      return say('此表单没有规则判定', 'No rules decision for this form');
    return say('暂时无法判定', 'The decision is not available now');
  }

  const facts = new Map(words.facts.map((f) => [f.id, f]));
  const outputs = h('ul', { class: 'decision-outputs', id: 'decision-outputs' });
  for (const o of words.outputs) {
    const fact = facts.get(o.id);
    const label = o.label ?? fact?.label;
    outputs.append(
      h(
        'li',
        { 'data-output': o.id },
        h('span', { class: 'label' }, label ? t(label) : o.id),
        tr('：', ': '),
        h('strong', {}, valueText(d.outputs[o.id], o.unit ?? fact?.unit ?? null, o.values)),
      ),
    );
  }

  const rules = h('ol', { class: 'decision-rules', id: 'decision-rules' });
  for (const r of d.explanation)
    rules.append(
      h(
        'li',
        { class: r.passed ? 'pass' : 'fail', 'data-rule': r.id },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, r.passed ? '✓' : '✗'),
        ' ',
        h('strong', {}, t(r.label)),
        h(
          'span',
          { class: 'visually-hidden' },
          r.passed ? tr('（成立）', ' (holds)') : tr('（不成立）', ' (does not hold)'),
        ),
        h('br'),
        h('span', { class: 'reason' }, t(r.reason)),
      ),
    );

  const params = h('ul', { class: 'decision-parameters', id: 'decision-parameters' });
  for (const p of words.parameters) {
    const used = d.parameters[p.id];
    if (!used) continue;
    params.append(
      h(
        'li',
        {},
        `${t(p.label)}：${valueText(used.value, p.unit)}`,
        h(
          'small',
          {},
          used.default
            ? tr('（规则集默认值）', ' (the ruleset default)')
            : tr(
                `（${used.orgCode ?? ''} 设定，自 ${used.validFrom ?? ''} 起）`,
                ` (set by ${used.orgCode ?? ''}, from ${used.validFrom ?? ''})`,
              ),
        ),
      ),
    );
  }

  section.append(
    h(
      'p',
      {},
      t(words.title),
      tr(`，截至 ${d.asOf}，${areaWord(d.area)}`, `, as of ${d.asOf}, ${areaWord(d.area)}`),
    ),
    outputs,
    h('h3', {}, tr('各项规则', 'Rule by rule')),
    rules,
    h('h3', {}, tr('所用标准', 'Standards used')),
    params,
  );
  return section;
}
