/**
 * Roles a user may hold; what each may do is decided where the action is (routes). `service`
 * marks an integration account: it takes no workflow action, and admins of its area may issue
 * API tokens for it (every other token is its holder's own).
 */
export const ROLES = [
  'admin',
  'field_staff',
  'reviewer',
  'finance',
  'bank',
  'hrss',
  'viewer',
  'service',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role is called, zh-CN first. The four parties of the payment loop: civil affairs
 * (`reviewer`, `admin`) fixes who and how much, `finance` allocates, `bank` pays, and `hrss`
 * (人力资源和社会保障局) keeps the social-security card accounts the money is paid to.
 */
export const ROLE_LABELS: Readonly<Record<Role, { readonly 'zh-CN': string; readonly en: string }>> = {
  admin: { 'zh-CN': '管理员（民政）', en: 'Administrator (civil affairs)' },
  field_staff: { 'zh-CN': '村（社区）、乡镇工作人员', en: 'Field staff' },
  reviewer: { 'zh-CN': '民政审核审批人员', en: 'Civil-affairs reviewer' },
  finance: { 'zh-CN': '财政部门', en: 'Finance bureau' },
  bank: { 'zh-CN': '代理金融机构', en: 'Agent bank' },
  hrss: {
    'zh-CN': '人力资源和社会保障部门（社保卡账户）',
    en: 'Human resources and social security (card accounts)',
  },
  viewer: { 'zh-CN': '查阅人员', en: 'Viewer' },
  service: { 'zh-CN': '系统对接账号', en: 'Integration account' },
};

/** Permissions beside roles: `pii` shows ID numbers and phones whole instead of masked. */
export const PERMISSIONS = ['pii'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** Roles that may create and edit submissions. */
export const WRITER_ROLES: readonly Role[] = ['admin', 'field_staff', 'reviewer'];
/** Roles that may delete submissions. */
export const DELETER_ROLES: readonly Role[] = ['admin', 'reviewer'];

/** A service account (integrations): never a workflow actor, whatever else it holds. */
export const isServiceAccount = (roles: readonly string[]): boolean => roles.includes('service');
