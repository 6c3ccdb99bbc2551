import { maskId } from './actions.ts';
import { ApiError, api } from './api.ts';
import { t, tr } from './i18n.ts';
import WORDS_JSON from './work-words.json' with { type: 'json' };

/**
 * Words for the cross-check, referral and monitoring pages: codes the API returns, said as people
 * say them in both languages (an unknown code is shown as it is; the tables are data, in
 * `work-words.json`), and the unit names of the caller's subtree.
 */

type Words = Readonly<Record<string, readonly [string, string]>>;

/**
 * The word tables as `work-words.json` holds them: table → code → [zh-CN, en]. The codes stay the
 * file's own (`keyof typeof`); every entry is checked by a test rather than in each browser, since
 * the file is fixed in the bundle.
 */
type Pairs<W> = { readonly [C in keyof W]: readonly [string, string] };
const WORDS: { readonly [T in keyof typeof WORDS_JSON]: Pairs<(typeof WORDS_JSON)[T]> } = WORDS_JSON as never;

const say =
  (words: Words) =>
  (code: string | null | undefined): string => {
    if (code === null || code === undefined) return '';
    const w = words[code];
    return w ? tr(w[0], w[1]) : code;
  };

/** The codes of a table of words, in its order: what a select offers, written once with the words. */
const codesOf = <C extends string>(words: Readonly<Record<C, readonly [string, string]>>): readonly C[] =>
  Object.keys(words) as C[];

/** Each table as a function from a code to its words in the page's language. */
export const {
  findingType,
  severity,
  closeAction,
  department,
  referralStatus,
  itemStatus,
  changeKind,
  changeAction,
  hardship,
  jobStatus,
} = Object.fromEntries(Object.entries(WORDS).map(([table, words]) => [table, say(words)])) as {
  readonly [T in keyof typeof WORDS]: ReturnType<typeof say>;
};
export const DEPARTMENT_CODES = codesOf(WORDS.department);
export const ITEM_STATUS_CODES = codesOf(WORDS.itemStatus);
export const CHANGE_ACTIONS = codesOf(WORDS.changeAction);

/** An ID number as every list shows it, whatever the caller may see: first 6 and last 4. */
export const maskedId = (id: string | null | undefined): string => (id ? maskId(id) : '');

/** Yes/no in words. */
export const yesNo = (v: unknown): string =>
  v === true ? tr('是', 'yes') : v === false ? tr('否', 'no') : '';

/** Money in yuan with its unit. */
export const yuan = (v: unknown): string =>
  typeof v === 'number' ? tr(`${v.toFixed(2)} 元/月`, `¥${v.toFixed(2)} a month`) : '';

let names: Promise<Map<string, string>> | undefined;

/** The names of the units of the caller's subtree, by code (asked once per page). */
export function unitNames(): Promise<Map<string, string>> {
  names ??= api<{ items: { code: string; name: string }[] }>('GET', '/api/org-units')
    .then((r) => new Map(r.items.map((u) => [u.code, u.name])))
    .catch(() => new Map<string, string>());
  return names;
}

/** `511923102201 白衣村` when the name is known, else the code. */
export const unitText = (m: Map<string, string>, code: string): string => {
  const n = m.get(code);
  return n ? `${n}（${code}）` : code;
};

/** The survey form a re-visit fills in again, prefilled from the household's register record. */
const SURVEY_FORM = 'household-survey';

export const resurveyHref = (r: { recordId: string | null; submissionId: string }): string =>
  r.recordId
    ? `/app/fill/${SURVEY_FORM}?record=${encodeURIComponent(r.recordId)}`
    : `/app/submissions/${encodeURIComponent(r.submissionId)}`;

/** Today in China (UTC+8), as the server judges due dates. */
export const chinaDay = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** An error as a sentence in the page's language (never only a code). */
export function errorWords(e: unknown): string {
  if (e instanceof ApiError) {
    const m = e.body.message ? t(e.body.message) : '';
    if (e.status === 403) return tr('您没有此项操作的权限', 'You may not do this');
    if (e.status === 404)
      return m || tr('找不到该对象，或不在您的管辖范围内', 'Not found, or outside your unit');
    return m || tr(`服务器拒绝了请求（${e.status}）`, `The server refused the request (${e.status})`);
  }
  return tr('无法连接服务器，请稍后重试', 'The server cannot be reached; try again later');
}
