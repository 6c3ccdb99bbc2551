import type { CodeInfo } from './codes.ts';
import { accessCodes } from './codes-access.ts';
import { accountCodes } from './codes-account.ts';

const c = (status: number, zh: string, en: string): CodeInfo => ({ status, message: { 'zh-CN': zh, en } });

/** Error codes for the HTTP API, auth and store. */
export const httpCodes = {
  ...accountCodes,
  ...accessCodes,
  NX_ERR_HTTP_BAD_REQUEST: c(400, '请求参数不符合要求', 'The request does not match the expected schema'),
  NX_ERR_HTTP_INVALID_JSON: c(400, '请求体不是有效的 JSON', 'The request body is not valid JSON'),
  NX_ERR_HTTP_BODY_TOO_DEEP: c(400, '请求体嵌套层数过多', 'The request body is nested too deeply'),
  NX_ERR_HTTP_UNAUTHORIZED: c(401, '需要登录', 'Authentication required'),
  NX_ERR_HTTP_FORBIDDEN: c(403, '无权执行此操作', 'You are not allowed to do this'),
  NX_ERR_HTTP_NOT_FOUND: c(404, '未找到', 'Not found'),
  NX_ERR_HTTP_ROUTE_NOT_FOUND: c(404, '接口不存在', 'No such route'),
  NX_ERR_HTTP_PRECONDITION_FAILED: c(412, 'If-Match 头无效', 'The If-Match header is not a version number'),
  NX_ERR_HTTP_BODY_TOO_LARGE: c(413, '请求体过大', 'The request body is too large'),
  NX_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: c(415, '不支持的内容类型', 'Unsupported content type'),
  NX_ERR_HTTP_RATE_LIMITED: c(429, '请求过于频繁，请稍后再试', 'Too many requests; try again later'),
  NX_ERR_HTTP_INTERNAL: c(500, '服务器内部错误', 'Internal server error'),
  NX_ERR_AUTH_INVALID_CREDENTIALS: c(401, '用户名或密码错误', 'Wrong username or password'),
  NX_ERR_AUTH_TOKEN_INVALID: c(401, '令牌无效、已过期或已注销', 'The token is unknown, expired or revoked'),
  NX_ERR_USER_EXISTS: c(409, '该用户名不可用，请换一个', 'This username is not available; choose another'),
  NX_ERR_ORG_NOT_IN_SCOPE: c(422, '所选单位不在您的管辖范围内', 'The org unit is not in your area'),
  NX_ERR_FORM_EXISTS: c(409, '表单已存在', 'A form with this id exists'),
  NX_ERR_FORM_INVALID: c(422, '表单定义有误', 'The form definition has problems'),
  NX_ERR_FORM_ID_MISMATCH: c(422, '表单标识与地址不一致', 'The form id does not match the URL'),
  NX_ERR_FORM_NOT_PUBLISHED: c(409, '表单尚未发布', 'The form has no published version'),
  NX_ERR_FORM_NO_DRAFT: c(409, '没有可发布的草稿版本', 'There is no draft version to publish'),
  NX_ERR_FORM_OVERLAY_INVALID: c(422, '表单调整（覆盖层）有误', 'The form overlay has problems'),
  NX_ERR_SUBMISSION_INVALID: c(422, '填报数据未通过校验', 'The submission data did not pass validation'),
  NX_ERR_SUBMISSION_VERSION_CONFLICT: c(
    409,
    '数据已被他人修改，请刷新后重试',
    'The submission was changed by someone else; reload and retry',
  ),
  NX_ERR_SUBMISSION_STATUS_TRANSITION: c(409, '不允许的状态变更', 'This status change is not allowed'),
  NX_ERR_IMPORT_BATCH_SIZE: c(
    400,
    '每个事务的行数（--batch）须在 1 到 100000 之间',
    'Rows per transaction (--batch) must be between 1 and 100000',
  ),
  NX_ERR_IDEMPOTENCY_KEY_REUSED: c(
    422,
    '幂等键已用于另一个请求',
    'The Idempotency-Key was already used for a different request',
  ),
  NX_ERR_OVERLAY_FORM_MISMATCH: c(422, '覆盖层针对的是另一张表单', 'The overlay names a different form'),
  NX_ERR_OVERLAY_FIELD_UNKNOWN: c(
    422,
    '覆盖层引用的字段不存在',
    'The overlay names a field the form does not have',
  ),
  NX_ERR_OVERLAY_FIELD_EXISTS: c(422, '要添加的字段标识已存在', 'A field with this id already exists'),
  NX_ERR_OVERLAY_WRONG_TYPE: c(
    422,
    '该操作不适用于此字段类型',
    'This operation does not apply to this field type',
  ),
  NX_ERR_OVERLAY_NOT_TIGHTER: c(
    422,
    '覆盖层只能收紧校验，不能放宽',
    'An overlay may only tighten a check, not loosen it',
  ),
} satisfies Record<string, CodeInfo>;

export type HttpCode = keyof typeof httpCodes;
