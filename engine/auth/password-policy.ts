import { Worker } from 'node:worker_threads';
import { codes } from '../errors/codes.ts';
import { httpError } from '../errors/domain-errors.ts';
import type { ErrorDetail, NxError } from '../errors/nx-error.ts';
import { type Text, text } from '../i18n.ts';
import { busyError } from './hash-slots.ts';

/** At least 10 characters (OWASP ASVS 5.0 6.2.1 asks for 8; 10 leaves room for the ones zxcvbn underrates). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/**
 * zxcvbn score (0–4) a password needs: 3 means "about 10^8 guesses or more", i.e. not in
 * a common-password list, not a keyboard run, date, repetition or word with a few digits.
 */
export const PASSWORD_MIN_SCORE = 3;

/** Who the password is for: what it must not contain and what zxcvbn counts as guessable. */
export interface PasswordOwner {
  readonly username: string;
  readonly displayName?: string | null;
}

/** A check still unanswered after this is stuck (or far behind): refused as busy, and the thread restarted. */
const SCORE_TIMEOUT_MS = 10_000;

interface Pending {
  resolve: (v: { score: number; warning: string | null }) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(err: unknown): void {
  for (const p of pending.values()) {
    clearTimeout(p.timer);
    p.reject(err);
  }
  pending.clear();
  worker = null;
}

function scorer(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./password-strength-worker.mjs', import.meta.url), { execArgv: [] });
  w.on('message', (m: { id: number; score?: number; warning?: string | null; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.error !== undefined || m.score === undefined) p.reject(new Error(m.error ?? 'no score'));
    else p.resolve({ score: m.score, warning: m.warning ?? null });
  });
  w.on('error', (err) => failAll(err));
  w.on('exit', () => {
    if (worker === w) failAll(busyError());
  });
  // The thread must not keep a CLI command or a test alive once nothing waits for it (after the
  // listeners: attaching one refs the worker's port again).
  w.unref();
  worker = w;
  return w;
}

/** zxcvbn's score of a password, computed in a worker thread (one at a time, each within 10 s). */
function score(
  password: string,
  userInputs: readonly string[],
): Promise<{ score: number; warning: string | null }> {
  const w = scorer();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      // A check that runs this long is stuck: start a fresh thread for the next one.
      void w.terminate();
      reject(busyError());
    }, SCORE_TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    w.postMessage({ id, password, userInputs: [...userInputs] });
  });
}

/** What zxcvbn's warning keys mean, for the hint beside NX_ERR_AUTH_PASSWORD_WEAK. */
const WARNING_HINTS: Record<string, Text> = {
  topTen: text('这是最常见的密码之一', 'This is one of the most common passwords'),
  topHundred: text('这是非常常见的密码', 'This is a very common password'),
  common: text('这是常见密码', 'This is a common password'),
  similarToCommon: text('与常见密码过于相似', 'This is too similar to a common password'),
  straightRow: text('键盘上连续的一行很容易猜到', 'A straight row of keys is easy to guess'),
  keyPattern: text('键盘图案很容易猜到', 'A short keyboard pattern is easy to guess'),
  simpleRepeat: text('重复的字符很容易猜到', 'Repeated characters are easy to guess'),
  extendedRepeat: text('重复的字符组合很容易猜到', 'Repeated groups of characters are easy to guess'),
  sequences: text('abc、123 这样的序列很容易猜到', 'Sequences like abc or 123 are easy to guess'),
  recentYears: text('近年的年份很容易猜到', 'Recent years are easy to guess'),
  dates: text('日期很容易猜到', 'Dates are easy to guess'),
  userInputs: text('不要使用个人或账号信息', 'Do not use personal or account details'),
};

const HOW_TO_FIX = text(
  '请使用更长、不常见的组合，例如三四个互不相关的词加上数字或符号',
  'Use something longer and uncommon, e.g. three or four unrelated words with a digit or symbol',
);

const detail = (path: string, code: string, hint?: Text, params?: Record<string, unknown>): ErrorDetail => {
  const info = codes[code];
  if (!info) throw new Error(`unregistered code ${code}`);
  return { path, code, message: info.message, ...(hint ? { hint } : {}), ...(params ? { params } : {}) };
};

/**
 * Everything wrong with a new password, as located problems (empty when it is acceptable):
 * too short or long, containing the username, or guessable by zxcvbn (common-password and
 * local dictionaries, keyboard runs, dates, repetition, the owner's names).
 */
export async function passwordProblems(
  password: string,
  owner: PasswordOwner,
  path = '/password',
): Promise<ErrorDetail[]> {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return [detail(path, 'NX_ERR_AUTH_PASSWORD_TOO_SHORT', HOW_TO_FIX, { min: PASSWORD_MIN_LENGTH, length })];
  if (length > PASSWORD_MAX_LENGTH)
    return [detail(path, 'NX_ERR_AUTH_PASSWORD_TOO_LONG', undefined, { max: PASSWORD_MAX_LENGTH, length })];
  const lower = password.normalize('NFKC').toLowerCase();
  const name = owner.username.toLowerCase();
  if (name.length >= 3 && lower.includes(name))
    return [detail(path, 'NX_ERR_AUTH_PASSWORD_CONTAINS_USERNAME', HOW_TO_FIX)];
  const inputs = [owner.username, ...owner.username.split(/[._-]+/), owner.displayName ?? ''].filter(
    (s) => s.length >= 3,
  );
  const r = await score(password, inputs);
  if (r.score < PASSWORD_MIN_SCORE) {
    const why = r.warning ? WARNING_HINTS[r.warning] : undefined;
    const hint = why
      ? text(`${why['zh-CN']}。${HOW_TO_FIX['zh-CN']}`, `${why.en}. ${HOW_TO_FIX.en}`)
      : HOW_TO_FIX;
    return [
      detail(path, 'NX_ERR_AUTH_PASSWORD_WEAK', hint, { score: r.score, minScore: PASSWORD_MIN_SCORE }),
    ];
  }
  return [];
}

/** Throws NX_ERR_AUTH_PASSWORD_REJECTED (422) with the problems when the password is not acceptable. */
export async function assertPasswordAcceptable(
  password: string,
  owner: PasswordOwner,
  path?: string,
): Promise<void> {
  const problems = await passwordProblems(password, owner, path);
  if (problems.length > 0) throw rejected(problems);
}

const rejected = (problems: ErrorDetail[]): NxError => httpError('NX_ERR_AUTH_PASSWORD_REJECTED', problems);
