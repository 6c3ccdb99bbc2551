import type { CodeInfo } from './codes.ts';

const c = (status: number, zh: string, en: string): CodeInfo => ({ status, message: { 'zh-CN': zh, en } });

/** Error codes of grants, tokens, form ownership and personal-data filters (docs/security.md). */
export const accessCodes = {
  NX_ERR_USER_GRANT_EXCEEDED: c(
    403,
    '不能授予您自己没有的角色或权限，也不能授予管辖范围以外的单位',
    'You cannot grant a role or permission you do not hold, nor an org unit outside your area',
  ),
  NX_ERR_TOKEN_NOT_SELF: c(
    403,
    '接口令牌只能签发给本人，或签发给管辖范围内、权限不超过您的服务账号',
    'API tokens are issued to yourself, or to a service account of your area holding no more than you',
  ),
  NX_ERR_TOKEN_LIFETIME: c(
    422,
    '令牌有效期超过允许的最长期限，请缩短 expiresInDays',
    'The token lifetime exceeds the maximum; lower expiresInDays',
  ),
  NX_ERR_FORM_NOT_OWNER: c(
    403,
    '只有表单所属单位及其上级的管理员能发布新版本；下级单位请使用地方调整（覆盖层）',
    'Only admins of the unit that owns the form, or above it, change it; below, publish an overlay',
  ),
  NX_ERR_FORM_PII_DROPPED: c(
    422,
    '新版本取消了个人信息字段的遮蔽；须由所属单位有 pii 权限的管理员以 unmask 参数确认',
    'The new version stops masking a personal field; an admin of the owning unit with pii must confirm it with unmask',
  ),
  NX_ERR_SUBMISSION_FILTER_MASKED: c(
    403,
    '不能按您只能看到遮蔽值的个人信息字段筛选',
    'You cannot filter on a personal field you see masked',
  ),
} satisfies Record<string, CodeInfo>;
