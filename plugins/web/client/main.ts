import { api, hasRole, session, setSession } from './api.ts';
import { byId, fill, h } from './dom.ts';
import { lang, setLang, tr } from './i18n.ts';
import { flush, pending } from './outbox.ts';
import { adminFormsPage } from './pages/admin-forms.ts';
import { casePage } from './pages/case.ts';
import { editorPage } from './pages/editor.ts';
import { fillPage } from './pages/fill.ts';
import { formsPage } from './pages/forms.ts';
import { homePage } from './pages/home.ts';
import { inboxPage } from './pages/inbox.ts';
import { loginPage } from './pages/login.ts';
import { parametersPage } from './pages/parameters.ts';
import { reportsPage } from './pages/reports.ts';
import { submissionPage } from './pages/submission.ts';
import { usersPage } from './pages/users.ts';
import { status } from './status.ts';

const RETRY_MS = 3000;

/** Pages by the name the server's shell gives in `<body data-page>`. */
const PAGES: Record<string, (app: HTMLElement) => Promise<void> | void> = {
  login: loginPage,
  home: homePage,
  forms: formsPage,
  fill: fillPage,
  submission: submissionPage,
  inbox: inboxPage,
  case: casePage,
  'admin-forms': adminFormsPage,
  editor: editorPage,
  reports: reportsPage,
  users: usersPage,
  parameters: parametersPage,
};

function chrome() {
  const l = lang();
  document.documentElement.lang = l;
  const title = byId('page-title');
  title.textContent = (l === 'en' ? title.dataset.en : title.dataset.zh) ?? '';
  document.title = `${title.textContent} · 暖心 Nuanxin`;
  const sw = byId<HTMLButtonElement>('lang-switch');
  sw.textContent = l === 'en' ? '中文' : 'English';
  sw.lang = l === 'en' ? 'zh-CN' : 'en';
  sw.addEventListener('click', () => {
    setLang(l === 'en' ? 'zh-CN' : 'en');
    location.reload();
  });
  const s = session();
  const nav = byId('nav');
  if (!s) return;
  byId('who').textContent = s.user.displayName ?? s.user.username;
  const links: [string, string][] = [['/app/', tr('首页', 'Home')]];
  if (hasRole('field_staff', 'admin')) links.push(['/app/forms', tr('填报', 'Forms')]);
  if (hasRole('reviewer', 'admin')) links.push(['/app/inbox', tr('待办', 'Tasks')]);
  links.push(['/app/reports', tr('报表', 'Reports')]);
  if (hasRole('admin'))
    links.push(
      ['/app/admin/forms', tr('表单管理', 'Forms admin')],
      ['/app/admin/users', tr('用户', 'Users')],
      ['/app/admin/parameters', tr('参数标准', 'Standards')],
    );
  fill(
    nav,
    h(
      'ul',
      {},
      ...links.map(([href, label]) =>
        h('li', {}, h('a', { href, 'aria-current': location.pathname === href ? 'page' : null }, label)),
      ),
    ),
  );
  const out = byId<HTMLButtonElement>('logout');
  out.hidden = false;
  out.addEventListener('click', async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    setSession(null);
    location.assign('/app/login');
  });
}

async function boot() {
  const page = document.body.dataset.page ?? 'home';
  if (page !== 'login' && !session()) {
    location.assign(`/app/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  chrome();
  if (session()) {
    // Saves made offline go out as soon as the connection is back, on whichever page is open.
    const sendQueued = () =>
      flush((p) =>
        status(
          tr(
            `离线保存的“${p.formId}”已发送到服务器`,
            `The save of "${p.formId}" made offline reached the server`,
          ),
        ),
      ).catch(() => undefined);
    window.addEventListener('online', sendQueued);
    if (navigator.onLine) void sendQueued();
    // A send that failed half-way (the answer lost) is tried again while the page is open.
    setInterval(() => {
      if (navigator.onLine && pending().length > 0) void sendQueued();
    }, RETRY_MS);
  }
  const app = byId('app');
  try {
    await (PAGES[page] ?? homePage)(app);
  } catch (e) {
    status(`${tr('出错了', 'Something went wrong')}: ${String(e)}`, 'error');
  }
  document.body.dataset.ready = 'true';
}

void boot();
