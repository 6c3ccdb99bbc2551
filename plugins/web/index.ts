import { definePlugin } from '../../engine/entry/plugin.ts';
import { BUILT_IN } from '../built-in.ts';
import { pageRoutes } from './server/pages.ts';

export { getBundle } from './server/bundle.ts';
export { PAGE_CSP } from './server/csp.ts';
export { pageRoutes } from './server/pages.ts';

/**
 * 网页 / web pages for field staff, reviewers and administrators, served at `/` and `/app/…`.
 * Pages talk to the HTTP API with the bearer token of the login (this tab's in sessionStorage, a
 * device session's in IndexedDB); `/sw.js` keeps the app usable offline (docs/web.md).
 */
export default definePlugin({
  name: 'web',
  ...BUILT_IN,
  description: {
    'zh-CN': '填报、审核与管理网页',
    en: 'Pages for filling in, reviewing and administering forms',
  },
  setup(api) {
    api.routes.pages(pageRoutes);
  },
});
