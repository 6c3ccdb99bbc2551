import type { CodeInfo } from './codes.ts';

const c = (status: number, zh: string, en: string): CodeInfo => ({ status, message: { 'zh-CN': zh, en } });

/** Error codes for accounts and credentials: login throttling, hashing load, password policy, account changes. */
export const accountCodes = {
  NX_ERR_AUTH_ACCOUNT_LOCKED: c(
    429,
    '该账号登录失败次数过多，已暂时锁定，请按 Retry-After 所示秒数后再试',
    'Too many failed logins for this account: it is locked for a while; retry after the seconds in Retry-After',
  ),
  NX_ERR_AUTH_ADDRESS_THROTTLED: c(
    429,
    '此网络地址登录失败次数过多，请按 Retry-After 所示秒数后再试',
    'Too many failed logins from this network address; retry after the seconds in Retry-After',
  ),
  NX_ERR_AUTH_BUSY: c(
    503,
    '服务器正忙于核验密码，请按 Retry-After 所示秒数后再试',
    'The server is busy checking passwords; retry after the seconds in Retry-After',
  ),
  NX_ERR_AUTH_ACCOUNT_DISABLED: c(
    403,
    '该账号已停用，请联系管理员',
    'This account is disabled; ask an administrator',
  ),
  NX_ERR_AUTH_CURRENT_PASSWORD_WRONG: c(403, '当前密码不正确', 'The current password is wrong'),
  NX_ERR_AUTH_PASSWORD_REJECTED: c(
    422,
    '新密码不符合密码要求',
    'The new password does not meet the password rules',
  ),
  NX_ERR_AUTH_PASSWORD_TOO_SHORT: c(
    422,
    '密码至少需要 10 个字符',
    'The password needs at least 10 characters',
  ),
  NX_ERR_AUTH_PASSWORD_TOO_LONG: c(
    422,
    '密码最多 200 个字符',
    'The password may have at most 200 characters',
  ),
  NX_ERR_AUTH_PASSWORD_CONTAINS_USERNAME: c(
    422,
    '密码不能包含用户名',
    'The password must not contain the username',
  ),
  NX_ERR_AUTH_PASSWORD_WEAK: c(
    422,
    '密码太容易被猜到（常见密码、键盘序列、重复字符或日期等）',
    'The password is too easy to guess (a common password, keyboard run, repetition or date)',
  ),
  NX_ERR_USER_NOT_MANAGEABLE: c(
    403,
    '您不能管理该用户：其权限超出您所拥有的，或是与您同级的管理员',
    'You cannot manage this user: it holds rights you do not hold, or is an admin at your own level',
  ),
  NX_ERR_USER_SELF: c(
    409,
    '不能对自己的账号执行此操作（修改自己的密码请用 /api/me/password）',
    'You cannot do this to your own account (change your own password at /api/me/password)',
  ),
} satisfies Record<string, CodeInfo>;
