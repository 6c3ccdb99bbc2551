import { menu } from 'nuanxin:menu';
import { api, hasRole, loadSession, prefetch, session, setSession } from './api.ts';
import { byId, fill, h } from './dom.ts';
import { lang, setLang, t, tr } from './i18n.ts';
import { keepOfflineCopy } from './offline-copy.ts';
import { flush, OUTBOX_EVENT, pending } from './outbox.ts';
import { status } from './status.ts';

const RETRY_MS = 3000;

type PageFn = (app: HTMLElement) => Promise<void> | void;

/**
 * Pages by the name the server's shell gives in `<body data-page>`, each its own module: a page
 * loads only its code (the shell preloads it with `<link rel="modulepreload">`).
 */
const PAGES: Record<string, () => Promise<PageFn>> = {
  login: () => import('./pages/login.ts').then((m) => m.loginPage),
  home: () => import('./pages/home.ts').then((m) => m.homePage),
  forms: () => import('./pages/forms.ts').then((m) => m.formsPage),
  fill: () => import('./pages/fill.ts').then((m) => m.fillPage),
  submission: () => import('./pages/submission.ts').then((m) => m.submissionPage),
  inbox: () => import('./pages/inbox.ts').then((m) => m.inboxPage),
  case: () => import('./pages/case.ts').then((m) => m.casePage),
  'admin-forms': () => import('./pages/admin-forms.ts').then((m) => m.adminFormsPage),
  editor: () => import('./pages/editor.ts').then((m) => m.editorPage),
  reports: () => import('./pages/reports.ts').then((m) => m.reportsPage),
  users: () => import('./pages/users.ts').then((m) => m.usersPage),
  parameters: () => import('./pages/parameters.ts').then((m) => m.parametersPage),
  outbox: () => import('./pages/outbox.ts').then((m) => m.outboxPage),
  print: () => import('./pages/print.ts').then((m) => m.printPage),
  'crosscheck-lists': () => import('./pages/crosscheck-lists.ts').then((m) => m.crosscheckListsPage),
  findings: () => import('./pages/findings.ts').then((m) => m.findingsPage),
  referrals: () => import('./pages/referrals.ts').then((m) => m.referralsPage),
  monitoring: () => import('./pages/monitoring.ts').then((m) => m.monitoringPage),
  payments: () => import('./pages/payments.ts').then((m) => m.paymentsPage),
  payment: () => import('./pages/payment.ts').then((m) => m.paymentPage),
  benefits: () => import('./pages/benefits.ts').then((m) => m.benefitsPage),
  benefit: () => import('./pages/benefit.ts').then((m) => m.benefitPage),
  'card-accounts': () => import('./pages/card-accounts.ts').then((m) => m.cardAccountsPage),
  households: () => import('./pages/households.ts').then((m) => m.householdsPage),
  household: () => import('./pages/household.ts').then((m) => m.householdPage),
  'register-inbox': () => import('./pages/register-inbox.ts').then((m) => m.registerInboxPage),
};

/**
 * What a page asks the API for first, asked as soon as the login is known so the answer travels
 * while the page's modules load and run (the fill page: its form's definition).
 */
const FIRST_ASKED: Record<string, () => string | undefined> = {
  fill: () => {
    const formId = decodeURIComponent(location.pathname.split('/')[3] ?? '');
    return formId ? `/api/forms/${encodeURIComponent(formId)}` : undefined;
  },
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
  // The page list's menu; a department's account also gets the referrals page (below).
  const links = menu
    .filter((m) => !m.roles || hasRole(...m.roles))
    .map((m): [string, string] => [m.href, t(m.label)]);
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
  if (!hasRole('field_staff', 'reviewer', 'admin')) void departmentLink(nav.querySelector('ul'));
  const out = byId<HTMLButtonElement>('logout');
  out.hidden = false;
  out.addEventListener('click', async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    await setSession(null);
    location.assign('/app/login');
  });
  outboxLink(out);
}

/** A department's account (any role the county made one) gets the referrals page in its menu. */
async function departmentLink(ul: HTMLUListElement | null) {
  const mine = await api<{ department: string | null }>(
    'GET',
    '/api/crosschecks/referrals/departments/mine',
  ).catch(() => ({ department: null }));
  const href = '/app/referrals';
  if (mine.department && ul)
    ul.append(
      h(
        'li',
        {},
        h('a', { href, 'aria-current': location.pathname === href ? 'page' : null }, tr('转介', 'Referrals')),
      ),
    );
}

/** “待发送 n / Queued n” in the header while saves wait on this device; opens the queue. */
function outboxLink(before: HTMLElement) {
  const link = h('a', { id: 'outbox-link', href: '/app/outbox', hidden: true });
  before.before(link);
  const show = (n: number) => {
    link.hidden = n === 0;
    link.dataset.count = String(n);
    link.textContent = tr(`待发送 ${n}`, `Queued ${n}`);
  };
  window.addEventListener(OUTBOX_EVENT, (e) => show((e as CustomEvent<number>).detail));
  void pending().then((p) => show(p.length));
}

async function boot() {
  const page = document.body.dataset.page ?? 'home';
  // The page's module starts loading and running while the login is read.
  const pageFn = (PAGES[page] ?? PAGES.home)?.();
  pageFn?.catch(() => undefined); // awaited below, where its error is shown
  await loadSession();
  if (page !== 'login' && !session()) {
    location.assign(`/app/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  const first = session() ? FIRST_ASKED[page]?.() : undefined;
  if (first) prefetch(first);
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
    setInterval(async () => {
      if (navigator.onLine && (await pending()).some((p) => !p.error)) void sendQueued();
    }, RETRY_MS);
  }
  const app = byId('app');
  try {
    const run = await pageFn;
    await run?.(app);
  } catch (e) {
    status(`${tr('出错了', 'Something went wrong')}: ${String(e)}`, 'error');
  }
  document.body.dataset.ready = 'true';
  // After the page is drawn, so it never competes with the first input for the network.
  void keepOfflineCopy();
}

void boot();
