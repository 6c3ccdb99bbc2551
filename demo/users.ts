import type { Permission, Role } from '../engine/auth/roles.ts';

/** The demo password of every demo user (documented in docs/api.md and printed by `nuanxin start`). */
export const DEMO_PASSWORD = 'nuanxin-demo-2021';

export interface DemoUser {
  username: string;
  displayName: string;
  org: string;
  roles: Role[];
  permissions: Permission[];
}

/** One user per level and role, down one branch: 四川省 → 巴中市 → 平昌县 → 白衣镇 → 白衣村. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'admin', displayName: '省民政厅管理员', org: '510000', roles: ['admin'], permissions: ['pii'] },
  {
    username: 'bazhong.reviewer',
    displayName: '巴中市民政局审核员',
    org: '511900',
    roles: ['reviewer'],
    permissions: ['pii'],
  },
  {
    username: 'pingchang.reviewer',
    displayName: '平昌县民政局审核员',
    org: '511923',
    roles: ['reviewer'],
    permissions: ['pii'],
  },
  {
    // The county bureau head: county approval of assistance-application is countersigned by
    // the county reviewer and the county admin.
    username: 'pingchang.head',
    displayName: '平昌县民政局局长',
    org: '511923',
    roles: ['admin'],
    permissions: ['pii'],
  },
  {
    username: 'baiyi.reviewer',
    displayName: '白衣镇审核员',
    org: '511923102',
    roles: ['reviewer'],
    permissions: ['pii'],
  },
  {
    username: 'baiyicun.staff',
    displayName: '白衣村工作人员',
    org: '511923102201',
    roles: ['field_staff'],
    permissions: ['pii'],
  },
  {
    username: 'pingchang.finance',
    displayName: '平昌县财政局',
    org: '511923',
    roles: ['finance'],
    permissions: ['pii'],
  },
  {
    username: 'pingchang.bank',
    displayName: '平昌县代理金融机构',
    org: '511923',
    roles: ['bank'],
    permissions: ['pii'],
  },
  {
    // 人社: keeps the county's social-security card accounts the payment batches pay into.
    username: 'pingchang.hrss',
    displayName: '平昌县人力资源和社会保障局',
    org: '511923',
    roles: ['hrss'],
    permissions: ['pii'],
  },
  {
    username: 'province.viewer',
    displayName: '省级查阅（无身份信息权限）',
    org: '510000',
    roles: ['viewer'],
    permissions: [],
  },
];
