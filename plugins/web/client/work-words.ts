import { maskId } from './actions.ts';
import { ApiError, api } from './api.ts';
import { t, tr } from './i18n.ts';

/**
 * Words for the cross-check, referral and monitoring pages: codes the API returns, said as people
 * say them in both languages (an unknown code is shown as it is), and the unit names of the
 * caller's subtree.
 */

type Words = Record<string, readonly [string, string]>;

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

export const findingType = say({
  survey: ['入户调查', 'Survey the family'],
  review: ['核实', 'Review'],
  correct: ['更正登记簿', 'Correct the register'],
  're-decide': ['重新认定', 'Decide again'],
  'suspend-benefit': ['暂停待遇', 'Suspend the benefit'],
});

export const severity = say({ high: ['高', 'High'], medium: ['中', 'Medium'], low: ['低', 'Low'] });

export const closeAction = say({
  corrected: ['已更正', 'Corrected'],
  not_applicable: ['不适用', 'Not applicable'],
  survey_done: ['已入户调查', 'Survey done'],
  cleared: ['新名单不再出现，自动关闭', 'No longer in the latest delivery: closed by itself'],
});

const DEPARTMENT_WORDS = {
  medical: ['医疗救助（医保）', 'Medical assistance'],
  education: ['教育救助（教育）', 'Education assistance'],
  housing: ['住房救助（住建）', 'Housing assistance'],
  employment: ['就业救助（人社）', 'Employment assistance'],
} satisfies Words;
export const DEPARTMENT_CODES = codesOf(DEPARTMENT_WORDS);
export const department = say(DEPARTMENT_WORDS);

export const referralStatus = say({
  open: ['待部门答复', 'Awaiting the department'],
  accepted: ['部门已受理', 'Accepted by the department'],
  done: ['已办结', 'Done'],
  declined: ['部门不予办理', 'Declined by the department'],
});

const ITEM_STATUS_WORDS = {
  open: ['未办理', 'Not started'],
  in_progress: ['办理中', 'In progress'],
  done: ['已解决', 'Resolved'],
  not_possible: ['无法解决', 'Not possible'],
} satisfies Words;
export const ITEM_STATUS_CODES = codesOf(ITEM_STATUS_WORDS);
export const itemStatus = say(ITEM_STATUS_WORDS);

export const changeKind = say({
  joined: ['新纳入名册', 'Newly on the roster'],
  left: ['退出名册', 'Left the roster'],
  candidate: ['成为低保候选', 'Became a dibao candidate'],
  type: ['困难类型变化', 'Hardship type changed'],
  entitlement: ['待遇金额变化', 'Entitlement changed'],
  revisit: ['复核逾期', 'Re-visit overdue'],
});

const CHANGE_ACTION_WORDS = {
  revisited: ['已入户复核', 'Visited again'],
  confirmed: ['已确认', 'Confirmed'],
  corrected: ['已更正', 'Corrected'],
  referred: ['已转介', 'Referred'],
  'no-action': ['无需处理', 'No action needed'],
} satisfies Words;
export const CHANGE_ACTIONS = codesOf(CHANGE_ACTION_WORDS);
export const changeAction = say(CHANGE_ACTION_WORDS);

export const hardship = say({
  易致贫返贫户: ['易致贫返贫户', 'At risk of (re)falling into poverty'],
  低保边缘户: ['低保边缘户', 'Marginal household'],
  支出型困难户: ['支出型困难户', 'Expense-type hardship'],
  dibao: ['低保候选', 'Dibao candidate'],
});

export const jobStatus = say({
  pending: ['排队中', 'Queued'],
  running: ['进行中', 'Running'],
  done: ['已完成', 'Done'],
  failed: ['失败', 'Failed'],
});

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
