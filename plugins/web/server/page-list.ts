import type { Text } from '../../../engine/entry/plugin.ts';

/** One page of the web app: the server renders its shell, the client script fills it from the API. */
export interface PageSpec {
  /** Route below `/app` (Fastify syntax). */
  readonly path: string;
  /** Name the client script dispatches on (`<body data-page>`). */
  readonly page: string;
  readonly title: Text;
  /** Its code adds `<style>` elements: a nonce per response for `style-src`, on the stylesheet link for the script to read. */
  readonly styleNonce?: boolean;
}

export const PAGES: readonly PageSpec[] = [
  { path: '/login', page: 'login', title: { 'zh-CN': '登录', en: 'Log in' } },
  { path: '/', page: 'home', title: { 'zh-CN': '首页', en: 'Home' } },
  { path: '/forms', page: 'forms', title: { 'zh-CN': '填报', en: 'Forms' } },
  { path: '/fill/:formId', page: 'fill', title: { 'zh-CN': '填写表单', en: 'Fill in a form' } },
  { path: '/submissions/:id', page: 'submission', title: { 'zh-CN': '填报详情', en: 'Submission' } },
  { path: '/outbox', page: 'outbox', title: { 'zh-CN': '待发送', en: 'Queued saves' } },
  { path: '/inbox', page: 'inbox', title: { 'zh-CN': '待办', en: 'Tasks' } },
  { path: '/cases/:id', page: 'case', title: { 'zh-CN': '审核', en: 'Review' } },
  { path: '/admin/forms', page: 'admin-forms', title: { 'zh-CN': '表单管理', en: 'Forms admin' } },
  {
    path: '/admin/forms/:formId',
    page: 'editor',
    title: { 'zh-CN': '表单编辑', en: 'Form editor' },
    styleNonce: true,
  },
  { path: '/reports', page: 'reports', title: { 'zh-CN': '报表', en: 'Reports' } },
  { path: '/admin/users', page: 'users', title: { 'zh-CN': '用户', en: 'Users' } },
  { path: '/admin/parameters', page: 'parameters', title: { 'zh-CN': '参数标准', en: 'Standards' } },
  { path: '/print/:report', page: 'print', title: { 'zh-CN': '打印', en: 'Print' } },
  {
    path: '/crosschecks/lists',
    page: 'crosscheck-lists',
    title: { 'zh-CN': '部门比对名单', en: 'Department lists' },
  },
  {
    path: '/crosschecks/findings',
    page: 'findings',
    title: { 'zh-CN': '比对问题', en: 'Cross-check findings' },
  },
  { path: '/referrals', page: 'referrals', title: { 'zh-CN': '专项救助转介', en: 'Referrals' } },
  { path: '/monitoring', page: 'monitoring', title: { 'zh-CN': '动态监测', en: 'Dynamic monitoring' } },
  { path: '/payments', page: 'payments', title: { 'zh-CN': '资金发放', en: 'Payments' } },
  { path: '/payments/:id', page: 'payment', title: { 'zh-CN': '发放批次', en: 'Payment batch' } },
  { path: '/benefits', page: 'benefits', title: { 'zh-CN': '救助待遇', en: 'Benefits' } },
  { path: '/benefits/:id', page: 'benefit', title: { 'zh-CN': '救助待遇详情', en: 'Benefit' } },
  { path: '/card-accounts', page: 'card-accounts', title: { 'zh-CN': '社保卡账户', en: 'Card accounts' } },
  { path: '/households', page: 'households', title: { 'zh-CN': '家庭户', en: 'Households' } },
  { path: '/households/:id', page: 'household', title: { 'zh-CN': '家庭户记录', en: 'Household record' } },
  {
    path: '/registers/inbox',
    page: 'register-inbox',
    title: { 'zh-CN': '冲突、重复与迁移', en: 'Conflicts, duplicates and transfers' },
  },
];
