import type { FormDefinition } from '../../../engine/entry/definition.ts';
import { ApiError, api, NetworkError } from './api.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';
import {
  differing,
  hasMasked,
  type OptionWords,
  optionWords,
  type PropertyDef,
  type RegisterDef,
  resurveyData,
  valueWords,
} from './register-records.ts';

/** The households register: the one the pages show (a province may add others; they are listed the same way). */
export const REGISTER = 'households';
export const regUrl = (path = ''): string => `/api/registers/${REGISTER}${path}`;

let defCache: Promise<RegisterDef | undefined> | undefined;

/** The register's definition (properties with labels, statuses), or undefined without the plugin. */
export function registerDef(): Promise<RegisterDef | undefined> {
  defCache ??= api<{ items: RegisterDef[] }>('GET', '/api/registers')
    .then((r) => r.items.find((d) => d.id === REGISTER))
    .catch(() => undefined);
  return defCache;
}

/** The option labels of the register's first bound form (empty when it cannot be read). */
export async function registerOptions(def: RegisterDef): Promise<OptionWords> {
  const form = def.forms[0];
  if (!form) return new Map();
  return api<{ definition: FormDefinition }>('GET', `/api/forms/${encodeURIComponent(form)}`)
    .then((r) => optionWords(r.definition))
    .catch(() => new Map());
}

/** Names of the units of the caller's subtree, by code (the village a record belongs to). */
export async function unitNames(): Promise<Map<string, { name: string; level: string }>> {
  const r = await api<{ items: { code: string; name: string; level: string }[] }>(
    'GET',
    '/api/org-units',
  ).catch(() => ({ items: [] }));
  return new Map(r.items.map((u) => [u.code, { name: u.name, level: u.level }]));
}

/** What went wrong, in words of the page's language (the server's message, a field's message first). */
export function errorWords(e: unknown): string {
  if (e instanceof ApiError) {
    const detail = e.body.errors?.[0]?.message;
    const main = e.body.message ? t(e.body.message) : e.code;
    return detail && t(detail) !== main ? `${main}：${t(detail)}` : main;
  }
  if (e instanceof NetworkError)
    return tr('无法连接服务器，请稍后再试', 'The server cannot be reached; try again later');
  return String(e);
}

/**
 * Two sets of a record's values side by side, one row per property; rows whose values differ
 * are marked (`data-differs`), so a reviewer sees at once what the choice changes.
 */
export function compareTable(
  id: string,
  props: readonly PropertyDef[],
  left: { title: string; values: Record<string, unknown> },
  right: { title: string; values: Record<string, unknown> },
  extra: [string, string, string][] = [],
  options?: OptionWords,
): HTMLElement {
  const diff = differing(props, left.values, right.values);
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'list compare', id },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, tr('项目', 'Item')),
          h('th', { scope: 'col' }, left.title),
          h('th', { scope: 'col' }, right.title),
        ),
      ),
      h(
        'tbody',
        {},
        ...extra.map(([label, a, b]) =>
          h(
            'tr',
            { class: a !== b ? 'differs' : null, 'data-differs': a !== b ? 'true' : null },
            h('th', { scope: 'row' }, label),
            h('td', {}, a),
            h('td', {}, b),
          ),
        ),
        ...props.map((p) =>
          h(
            'tr',
            {
              class: diff.has(p.id) ? 'differs' : null,
              'data-differs': diff.has(p.id) ? 'true' : null,
              'data-property': p.id,
            },
            h(
              'th',
              { scope: 'row' },
              t(p.label),
              diff.has(p.id) ? h('span', { class: 'visually-hidden' }, tr('（不同）', ' (differs)')) : null,
            ),
            h('td', {}, valueWords(p, left.values[p.id], options)),
            h('td', {}, valueWords(p, right.values[p.id], options)),
          ),
        ),
      ),
    ),
  );
}

/**
 * The start of a re-survey of a record (`/app/fill/<form>?record=<id>`): the record's current
 * values and base version (`…/prefill`), over the last survey's data (members, assets), dated
 * today with ages recomputed (`resurveyData`). Refused when the caller sees the key masked: the
 * form would carry a number that is not the family's.
 */
export async function resurveyStart(
  form: FormDefinition,
  formId: string,
  recordId: string,
  today: string,
): Promise<{ data: Record<string, unknown>; baseVersion: number }> {
  const pre = await api<{ baseVersion: number; submissionId: string | null; data: Record<string, unknown> }>(
    'GET',
    regUrl(`/records/${encodeURIComponent(recordId)}/prefill?form=${encodeURIComponent(formId)}`),
  );
  if (hasMasked(pre.data))
    throw new Error(
      tr(
        '您看到的身份证号码是遮蔽的，不能据此复查；请由有权查看完整号码的人员办理',
        'You see the ID number masked, so you cannot re-survey from it; ask someone allowed to see it whole',
      ),
    );
  const survey = pre.submissionId
    ? await api<{ data: Record<string, unknown> }>(
        'GET',
        `/api/submissions/${encodeURIComponent(pre.submissionId)}`,
      )
        .then((s) => s.data)
        .catch(() => undefined)
    : undefined;
  return { data: resurveyData(form, survey, pre.data, today), baseVersion: pre.baseVersion };
}
