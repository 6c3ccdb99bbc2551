import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadDemoWhenEmpty } from '../../../cli/server.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../demo/users.ts';
import type { Role } from '../../../engine/auth/roles.ts';
import { issueToken } from '../../../engine/auth/tokens.ts';
import { createUser } from '../../../engine/auth/users.ts';
import type { Database } from '../../../engine/store/schema.ts';
import { BATCH_READERS, CARD_READERS, CIVIL_AFFAIRS } from '../../../plugins/payments/routes.ts';
import '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { pngBytes } from '../attachments/fixtures.ts';
import { householdData } from '../workflow-store/setup.ts';

/**
 * The authorization matrix, generated from the OpenAPI document of the app `nuanxin start` builds:
 * every route × every demo user and its twin with the opposite `pii` × an object inside and one
 * outside the caller's subtree. It asserts the status class each caller must get and that no
 * response body carries a whole ID number or phone of the seeded households to a caller without
 * `pii`. A route the document lists but the matrix does not know fails the test: a new route
 * must say who may call it.
 */

const ROOT = new URL('../../../', import.meta.url).pathname;
/** The outside household lives in 锦江区 (成都市), off the demo branch 巴中市 → 平昌县 → 白衣村. */
const OUTSIDE_ORG = '510104';

type Cls = '2xx' | '4xx' | 'any';
interface Caller {
  readonly username: string;
  readonly roles: readonly Role[];
  readonly pii: boolean;
  readonly orgPath: string;
  token: string;
}
interface Objects {
  submission: string;
  token: string;
  record: string;
  attachment: string;
}
interface Sample {
  /** Path with its parameters filled, query included. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}
interface RouteRule {
  /** The request for an object inside (or outside) the caller's subtree. */
  sample(o: Objects, side: 'in' | 'out', n: number): Sample;
  /** Whether the route names an object of the org tree (the outside sample is then checked). */
  scoped: boolean;
  /** Roles allowed (others get 4xx); undefined = every authenticated user. */
  roles?: readonly Role[];
  /** What an allowed caller gets for the inside object: 2xx when the route must answer. */
  inside: Cls;
  /** Only callers at the top of the tree (the province owns the shipped forms) are allowed. */
  topOnly?: boolean;
  /** A look-up by a personal value: callers without pii are refused (it would confirm guesses). */
  needsPii?: boolean;
  /** A list answers the outside sample with 2xx and without the outside object, rather than 4xx. */
  listsOutside?: boolean;
  /** Runs after every other route (it consumes the object or the caller's token); 2 = after the other last ones. */
  last?: boolean | 2;
}

const WRITERS: Role[] = ['admin', 'field_staff', 'reviewer'];
const ADMIN: Role[] = ['admin'];
const ANY: Cls = 'any';
const fixed = (url: string, body?: unknown) => () => ({ url, ...(body === undefined ? {} : { body }) });

/** Every route of the document, by `METHOD path` as OpenAPI spells it. */
function rules(inData: Record<string, unknown>): Record<string, RouteRule> {
  const sub =
    (suffix = '') =>
    (o: Objects) => ({ url: `/api/submissions/${o.submission}${suffix}` });
  const overlay = {
    form: 'household-survey',
    operations: [{ op: 'relabel', field: 'headName', label: { 'zh-CN': '户主', en: 'Head' } }],
  };
  const reg = (suffix: string) => (o: Objects) => ({
    url: `/api/registers/households/records/${o.record}${suffix}`,
  });
  return {
    // A new PNG each time (the raw body of the upload route).
    'POST /api/attachments': {
      sample: (_o, _s, n) => ({
        url: `/api/attachments?name=sig-${n}.png`,
        body: pngBytes(2_000, 5_000 + n),
        headers: { 'content-type': 'image/png' },
      }),
      scoped: false,
      roles: WRITERS,
      inside: '2xx',
    },
    // The inside object is the household's signature on the inside survey: personal data.
    'GET /api/attachments/{id}': {
      sample: (o) => ({ url: `/api/attachments/${o.attachment}` }),
      scoped: true,
      needsPii: true,
      inside: '2xx',
    },
    'POST /api/auth/login': {
      sample: fixed('/api/auth/login', { username: 'nobody', password: 'wrong-password-1' }),
      scoped: false,
      inside: '4xx',
    },
    'POST /api/auth/logout': { sample: fixed('/api/auth/logout'), scoped: false, inside: '2xx', last: true },
    // Revokes every token of the caller, so after every other route; logout has revoked this
    // token already (401 here): its 2xx is tested in account.test.ts.
    'POST /api/auth/logout-all': {
      sample: fixed('/api/auth/logout-all'),
      scoped: false,
      inside: ANY,
      last: 2,
    },
    // A wrong current password: nobody's password changes while the matrix runs.
    'POST /api/me/password': {
      sample: fixed('/api/me/password', {
        currentPassword: 'not-the-password-1',
        newPassword: 'amber-kettle-orchard-42',
      }),
      scoped: false,
      inside: ANY,
    },
    // The inside target holds field_staff, which no demo admin holds: refused (403), never changed.
    'POST /api/users/{username}/password': {
      sample: (_o, side) => ({
        url: `/api/users/${side === 'in' ? 'baiyicun.staff' : 'jinjiang.staff'}/password`,
        body: { newPassword: 'amber-kettle-orchard-42' },
      }),
      scoped: true,
      roles: ADMIN,
      inside: ANY,
    },
    'POST /api/users/{username}/disable': {
      sample: (_o, side) => ({
        url: `/api/users/${side === 'in' ? 'baiyicun.staff' : 'jinjiang.staff'}/disable`,
      }),
      scoped: true,
      roles: ADMIN,
      inside: ANY,
    },
    'POST /api/users/{username}/enable': {
      sample: (_o, side) => ({
        url: `/api/users/${side === 'in' ? 'baiyicun.staff' : 'jinjiang.staff'}/enable`,
      }),
      scoped: true,
      roles: ADMIN,
      inside: ANY,
    },
    'GET /api/me': { sample: fixed('/api/me'), scoped: false, inside: '2xx' },
    'GET /api/org-units': { sample: fixed('/api/org-units'), scoped: false, inside: '2xx' },
    'GET /api/users': { sample: fixed('/api/users'), scoped: false, roles: ADMIN, inside: '2xx' },
    'POST /api/users': {
      sample: (_o, side, n) => ({
        url: '/api/users',
        body: {
          username: `matrix${n}`,
          password: 'Matrix-pass-2021-long!',
          orgUnit: side === 'in' ? '511923102201' : OUTSIDE_ORG,
          roles: ['admin'],
        },
      }),
      scoped: true,
      roles: ADMIN,
      inside: '2xx',
    },
    'POST /api/tokens': {
      sample: fixed('/api/tokens', { name: 'matrix', expiresInDays: 1 }),
      scoped: false,
      roles: ADMIN,
      inside: '2xx',
    },
    'GET /api/tokens': { sample: fixed('/api/tokens'), scoped: false, inside: '2xx' },
    'DELETE /api/tokens/{id}': {
      sample: (o) => ({ url: `/api/tokens/${o.token}` }),
      scoped: true,
      inside: ANY,
    },
    'GET /api/forms': { sample: fixed('/api/forms'), scoped: false, inside: '2xx' },
    'POST /api/forms': {
      sample: (_o, _s, n) => ({
        url: '/api/forms',
        body: {
          id: `matrix-${n}`,
          version: 1,
          title: { 'zh-CN': '表', en: 'Form' },
          sections: [
            {
              id: 's',
              title: { 'zh-CN': '节', en: 'S' },
              fields: [{ id: 'a', type: 'text', label: { 'zh-CN': '甲', en: 'A' } }],
            },
          ],
        },
      }),
      scoped: false,
      roles: ADMIN,
      inside: '2xx',
    },
    'GET /api/forms/{id}': { sample: fixed('/api/forms/household-survey'), scoped: false, inside: '2xx' },
    // Only the owning level (the province, for the shipped forms) changes a form.
    'POST /api/forms/{id}/versions': {
      sample: fixed('/api/forms/visit-statistics/versions', { id: 'visit-statistics' }),
      scoped: false,
      roles: ADMIN,
      inside: ANY,
    },
    'POST /api/forms/{id}/check': {
      sample: fixed('/api/forms/visit-statistics/check', { id: 'visit-statistics' }),
      scoped: false,
      roles: ADMIN,
      inside: ANY,
    },
    'POST /api/forms/{id}/publish': {
      sample: fixed('/api/forms/visit-statistics/publish'),
      scoped: false,
      roles: ADMIN,
      inside: ANY,
    },
    'POST /api/forms/{id}/overlays': {
      sample: (_o, side) => ({
        url: '/api/forms/household-survey/overlays',
        body: { overlay, publish: false, ...(side === 'out' ? { orgUnit: OUTSIDE_ORG } : {}) },
      }),
      scoped: true,
      roles: ADMIN,
      inside: '2xx',
    },
    'POST /api/forms/{id}/validate': {
      sample: (_o, side) => ({
        url: '/api/forms/household-survey/validate',
        body: { data: inData, ...(side === 'out' ? { orgUnit: OUTSIDE_ORG } : {}) },
      }),
      scoped: true,
      inside: '2xx',
    },
    'GET /api/forms/{id}/submissions': {
      sample: (_o, side) => ({
        url: `/api/forms/household-survey/submissions${side === 'out' ? `?orgUnit=${OUTSIDE_ORG}` : ''}`,
      }),
      scoped: true,
      listsOutside: true,
      inside: '2xx',
    },
    'POST /api/forms/{id}/submissions': {
      sample: (_o, side, n) => ({
        url: '/api/forms/household-survey/submissions',
        body: {
          data: householdData(900 + n),
          status: 'draft',
          orgUnit: side === 'in' ? '511923102201' : OUTSIDE_ORG,
        },
      }),
      scoped: true,
      roles: WRITERS,
      inside: ANY,
    },
    'GET /api/submissions/{id}': { sample: sub(), scoped: true, inside: '2xx' },
    'PATCH /api/submissions/{id}': {
      sample: (o) => ({
        url: `/api/submissions/${o.submission}`,
        body: { data: { surveyorName: '改' }, version: 1 },
      }),
      scoped: true,
      roles: WRITERS,
      inside: ANY,
    },
    'DELETE /api/submissions/{id}': {
      sample: sub(),
      scoped: true,
      roles: ['admin', 'reviewer'],
      inside: ANY,
      last: true,
    },
    'GET /api/submissions/{id}/audit': { sample: sub('/audit'), scoped: true, inside: '2xx' },
    'GET /api/tasks': { sample: fixed('/api/tasks'), scoped: false, inside: '2xx' },
    // The case rows of the caller's subtree (IDs masked in lists even with pii).
    'GET /api/cases': { sample: fixed('/api/cases'), scoped: false, inside: '2xx' },
    // Labels and units of a ruleset: no personal data.
    'GET /api/rules/{ruleset}': {
      sample: fixed('/api/rules/household-eligibility'),
      scoped: false,
      inside: ANY,
    },
    'POST /api/tasks/bulk': {
      sample: (o) => ({ url: '/api/tasks/bulk', body: { action: 'approve', submissionIds: [o.submission] } }),
      scoped: false,
      inside: ANY,
    },
    'POST /api/submissions/{id}/actions/{action}': {
      sample: (o) => ({ url: `/api/submissions/${o.submission}/actions/approve`, body: {} }),
      scoped: true,
      inside: ANY,
    },
    'GET /api/submissions/{id}/history': { sample: sub('/history'), scoped: true, inside: '2xx' },
    'GET /api/parameters/declared': { sample: fixed('/api/parameters/declared'), scoped: false, inside: ANY },
    'GET /api/parameters/': { sample: fixed('/api/parameters/'), scoped: false, inside: ANY },
    'GET /api/parameters/{name}': {
      sample: fixed('/api/parameters/dibaoStandard'),
      scoped: false,
      inside: ANY,
    },
    'PUT /api/parameters/{name}': {
      sample: (_o, side) => ({
        url: '/api/parameters/dibaoStandard',
        body: {
          orgUnit: side === 'in' ? '511923' : OUTSIDE_ORG,
          from: '2031-01-01',
          value: 700,
          area: 'rural',
          dryRun: true,
        },
      }),
      scoped: true,
      inside: ANY,
    },
    'POST /api/parameters/{name}/withdraw': {
      sample: (_o, side) => ({
        url: '/api/parameters/dibaoStandard/withdraw',
        body: { orgUnit: side === 'in' ? '511923' : OUTSIDE_ORG, from: '2031-01-01', area: 'rural' },
      }),
      scoped: true,
      inside: ANY,
    },
    'GET /api/parameters/{name}/history': {
      sample: fixed('/api/parameters/dibaoStandard/history'),
      scoped: false,
      inside: ANY,
    },
    'GET /api/rules/': { sample: fixed('/api/rules/'), scoped: false, inside: ANY },
    'POST /api/rules/{ruleset}/evaluate': {
      sample: fixed('/api/rules/household-eligibility/evaluate', { facts: inData }),
      scoped: false,
      inside: ANY,
    },
    'GET /api/rules/{ruleset}/decisions/{submissionId}': {
      sample: (o) => ({ url: `/api/rules/household-eligibility/decisions/${o.submission}` }),
      scoped: true,
      inside: ANY,
    },
    'POST /api/rules/{ruleset}/what-if': {
      sample: (_o, side) => ({
        url: '/api/rules/household-eligibility/what-if',
        body: { org: side === 'in' ? '511923' : OUTSIDE_ORG, parameters: { dibaoStandard: 800 } },
      }),
      scoped: true,
      inside: ANY,
    },
    'GET /api/monitoring/changes': {
      sample: (_o, side) => ({
        url: `/api/monitoring/changes?status=all${side === 'out' ? `&orgCode=${OUTSIDE_ORG}` : ''}`,
      }),
      scoped: true,
      inside: '2xx',
    },
    'GET /api/monitoring/changes/summary': {
      sample: (_o, side) => ({
        url: `/api/monitoring/changes/summary${side === 'out' ? `?orgCode=${OUTSIDE_ORG}` : ''}`,
      }),
      scoped: true,
      inside: '2xx',
    },
    // No item has this id: refused or not found for everyone, never changed.
    'POST /api/monitoring/changes/{id}/close': {
      sample: (o) => ({
        url: `/api/monitoring/changes/${o.submission}/close`,
        body: { action: 'revisited' },
      }),
      scoped: false,
      inside: ANY,
    },
    'GET /api/monitoring/jobs': { sample: fixed('/api/monitoring/jobs'), scoped: false, inside: '2xx' },
    'GET /api/monitoring/jobs/{id}': {
      sample: fixed('/api/monitoring/jobs/mon_none'),
      scoped: false,
      inside: ANY,
    },
    'POST /api/monitoring/run': {
      sample: fixed('/api/monitoring/run', { maxBatches: 1 }),
      scoped: false,
      roles: ADMIN,
      inside: ANY,
    },
    'GET /api/monitoring/revisits': {
      sample: (_o, side) => ({
        url: `/api/monitoring/revisits${side === 'out' ? `?orgCode=${OUTSIDE_ORG}` : ''}`,
      }),
      scoped: true,
      inside: '2xx',
    },
    'GET /api/plugins/benefits/benefits': {
      sample: fixed('/api/plugins/benefits/benefits'),
      scoped: false,
      roles: ['admin', 'reviewer', 'finance', 'bank', 'viewer'],
      inside: '2xx',
    },
    'GET /api/plugins/benefits/benefits/{id}': {
      sample: fixed('/api/plugins/benefits/benefits/none'),
      scoped: false,
      roles: ['admin', 'reviewer', 'finance', 'bank', 'viewer'],
      inside: ANY,
    },
    // Finance and the bank change no benefit: only civil affairs (admin or reviewer, at a county).
    'POST /api/plugins/benefits/benefits/{id}/{action}': {
      sample: fixed('/api/plugins/benefits/benefits/none/adjust', { reason: '核实', amount: 500 }),
      scoped: false,
      roles: ['admin', 'reviewer'],
      inside: ANY,
    },
    'GET /api/plugins/sms-outbox/messages': {
      sample: fixed('/api/plugins/sms-outbox/messages'),
      scoped: false,
      inside: ANY,
    },
    'GET /api/registers/': { sample: fixed('/api/registers/'), scoped: false, inside: '2xx' },
    'GET /api/registers/{register}/records': {
      sample: (_o, side) => ({
        url: `/api/registers/households/records${side === 'out' ? `?orgCode=${OUTSIDE_ORG}` : ''}`,
      }),
      scoped: true,
      inside: '2xx',
    },
    'POST /api/registers/{register}/records/query': {
      sample: (_o, side) => ({
        url: '/api/registers/households/records/query',
        body: side === 'out' ? { orgCode: OUTSIDE_ORG } : {},
      }),
      scoped: true,
      inside: ANY,
    },
    'POST /api/registers/{register}/search': {
      sample: fixed('/api/registers/households/search', { idNumber: String(inData.headIdNumber) }),
      scoped: false,
      needsPii: true,
      inside: '2xx',
    },
    'GET /api/registers/{register}/records/{id}': { sample: reg(''), scoped: true, inside: '2xx' },
    'GET /api/registers/{register}/records/{id}/prefill': {
      sample: reg('/prefill'),
      scoped: true,
      inside: ANY,
    },
    'GET /api/registers/{register}/inbox': {
      sample: fixed('/api/registers/households/inbox'),
      scoped: false,
      inside: ANY,
    },
    'POST /api/registers/{register}/flags/{id}/resolve': {
      sample: (o) => ({ url: `/api/registers/households/flags/${o.record}/resolve`, body: {} }),
      scoped: true,
      inside: ANY,
    },
    'POST /api/registers/{register}/merge': {
      sample: (o) => ({ url: '/api/registers/households/merge', body: { from: o.record, into: o.record } }),
      scoped: false,
      inside: ANY,
    },
    'POST /api/registers/{register}/records/{id}/status': {
      sample: reg('/status'),
      scoped: true,
      inside: ANY,
    },
    'POST /api/registers/{register}/records/{id}/transfer': {
      sample: reg('/transfer'),
      scoped: true,
      inside: ANY,
    },
    'GET /api/registers/{register}/transfers': {
      sample: fixed('/api/registers/households/transfers'),
      scoped: false,
      inside: '2xx',
    },
    'POST /api/registers/{register}/transfers/{id}': {
      sample: (o) => ({ url: `/api/registers/households/transfers/${o.record}`, body: {} }),
      scoped: true,
      inside: ANY,
    },
    // Cross-checks: the demo has no delivery, finding or referral; a header-only delivery for
    // 平昌县 stores nothing personal.
    'GET /api/crosschecks/lists': { sample: fixed('/api/crosschecks/lists'), scoped: false, inside: '2xx' },
    'GET /api/crosschecks/lists/{list}/deliveries': {
      sample: fixed('/api/crosschecks/lists/prr-monitoring/deliveries'),
      scoped: false,
      inside: '2xx',
    },
    'POST /api/crosschecks/lists/{list}/deliveries': {
      sample: (_o, side) => ({
        url: '/api/crosschecks/lists/prr-monitoring/deliveries',
        body: {
          orgCode: side === 'in' ? '511923' : OUTSIDE_ORG,
          rows: [['身份证号码', '所在村（社区）代码', '监测对象类型', '是否建档立卡']],
        },
      }),
      scoped: true,
      roles: ['admin', 'reviewer'],
      inside: ANY,
    },
    // No delivery exists in the demo: the parties allowed get 404, the others 403.
    'POST /api/crosschecks/lists/{list}/deliveries/{delivery}/compare': {
      sample: fixed('/api/crosschecks/lists/prr-monitoring/deliveries/none/compare'),
      scoped: false,
      roles: ['admin', 'reviewer'],
      inside: ANY,
    },
    'GET /api/crosschecks/findings': {
      sample: fixed('/api/crosschecks/findings'),
      scoped: false,
      inside: '2xx',
    },
    'GET /api/crosschecks/findings/{id}': {
      sample: fixed('/api/crosschecks/findings/none'),
      scoped: false,
      inside: ANY,
    },
    'POST /api/crosschecks/findings/{id}/close': {
      sample: fixed('/api/crosschecks/findings/none/close', { action: 'survey_done' }),
      scoped: false,
      roles: WRITERS,
      inside: ANY,
    },
    'GET /api/crosschecks/report': {
      sample: (_o, side) => ({
        url: `/api/crosschecks/report?orgCode=${side === 'in' ? '511923' : OUTSIDE_ORG}`,
      }),
      scoped: true,
      inside: ANY,
    },
    'POST /api/crosschecks/referrals/': {
      sample: (o) => ({
        url: '/api/crosschecks/referrals/',
        body: { caseId: o.submission, department: 'medical' },
      }),
      scoped: true,
      roles: WRITERS,
      inside: ANY,
    },
    'GET /api/crosschecks/referrals/': {
      sample: fixed('/api/crosschecks/referrals/'),
      scoped: false,
      inside: '2xx',
    },
    'GET /api/crosschecks/referrals/departments/mine': {
      sample: fixed('/api/crosschecks/referrals/departments/mine'),
      scoped: false,
      inside: '2xx',
    },
    'GET /api/crosschecks/referrals/{id}': {
      sample: fixed('/api/crosschecks/referrals/none'),
      scoped: false,
      inside: ANY,
    },
    'POST /api/crosschecks/referrals/{id}/answer': {
      sample: fixed('/api/crosschecks/referrals/none/answer', { status: 'accepted' }),
      scoped: false,
      inside: ANY,
    },
    'POST /api/crosschecks/referrals/{id}/items/{item}': {
      sample: fixed('/api/crosschecks/referrals/none/items/none', { status: 'done' }),
      scoped: false,
      inside: ANY,
    },
    'POST /api/crosschecks/referrals/departments': {
      sample: fixed('/api/crosschecks/referrals/departments', {
        username: 'pingchang.finance',
        department: 'medical',
      }),
      scoped: false,
      roles: ADMIN,
      inside: ANY,
    },
    // Payments: no batch exists in the demo, so the batch routes answer 404 to the parties allowed.
    'POST /api/payments/batches': {
      sample: (_o, side) => ({
        url: '/api/payments/batches',
        body: { orgCode: side === 'in' ? '511923' : OUTSIDE_ORG, month: '2021-09' },
      }),
      scoped: true,
      roles: CIVIL_AFFAIRS,
      inside: ANY,
    },
    'GET /api/payments/batches': {
      sample: fixed('/api/payments/batches'),
      scoped: false,
      roles: BATCH_READERS,
      inside: '2xx',
    },
    'GET /api/payments/batches/{id}': {
      sample: fixed('/api/payments/batches/none'),
      scoped: false,
      roles: BATCH_READERS,
      inside: ANY,
    },
    'POST /api/payments/batches/{id}/approve': {
      sample: fixed('/api/payments/batches/none/approve', {}),
      scoped: false,
      roles: ['finance'],
      inside: ANY,
    },
    'POST /api/payments/batches/{id}/return': {
      sample: fixed('/api/payments/batches/none/return', { reason: '资金未到位' }),
      scoped: false,
      roles: ['finance'],
      inside: ANY,
    },
    'GET /api/payments/batches/{id}/bank-file': {
      sample: fixed('/api/payments/batches/none/bank-file'),
      scoped: false,
      roles: ['bank'],
      needsPii: true,
      inside: ANY,
    },
    'POST /api/payments/batches/{id}/return-file': {
      sample: fixed('/api/payments/batches/none/return-file', { content: '批次号' }),
      scoped: false,
      roles: ['bank'],
      inside: ANY,
    },
    'GET /api/payments/batches/{id}/reconciliation': {
      sample: fixed('/api/payments/batches/none/reconciliation'),
      scoped: false,
      roles: BATCH_READERS,
      inside: ANY,
    },
    'GET /api/payments/card-accounts': {
      sample: fixed('/api/payments/card-accounts'),
      scoped: false,
      roles: CARD_READERS,
      inside: '2xx',
    },
    // Invalid rows: refused whole (422), nothing written.
    'POST /api/payments/card-accounts': {
      sample: fixed('/api/payments/card-accounts', {
        rows: [{ idNumber: '1', accountNumber: '1', bankName: 'x', holderName: 'x' }],
      }),
      scoped: false,
      roles: ['hrss'],
      inside: ANY,
    },
    'GET /api/reports/': { sample: fixed('/api/reports/'), scoped: false, inside: '2xx' },
    'GET /api/reports/{id}': {
      sample: (o) => ({ url: `/api/reports/household-survey-print?format=json&submission=${o.submission}` }),
      scoped: true,
      inside: '2xx',
    },
  };
}

/**
 * Page shells and the service worker carry no data (the pages read it through the API above);
 * they are checked for leaks only.
 */
const isPage = (path: string) => path === '/' || path === '/sw.js' || path.startsWith('/app/');

const classOf = (status: number): Cls | '5xx' | '3xx' =>
  status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';

describe.each(dialects())('authorization matrix from /docs/json on $name', (dialect) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let db: Kysely<Database>;
  const callers: Caller[] = [];
  const identifiers = new Set<string>();
  const objects: Record<'in' | 'out', Objects> = {
    in: { submission: '', token: '', record: '', attachment: '' },
    out: { submission: '', token: '', record: '', attachment: '' },
  };
  let inData: Record<string, unknown> = {};
  let outsideIds: string[] = [];

  beforeAll(async () => {
    t = await dialect.open();
    const server = await createServer({
      db: t.url,
      config: `${ROOT}nuanxin.config.json`,
      before: async (d, plugins) => {
        await loadDemoWhenEmpty(d, plugins, (p) => {
          throw new Error(p);
        });
      },
    });
    app = server.app;
    db = server.db;
    const paths = new Map<string, string>();
    for (const r of await db.selectFrom('org_units').select(['code', 'path']).execute())
      paths.set(r.code, r.path);
    // Every demo user, and a twin with the opposite pii; an outsider who files the outside household.
    for (const u of DEMO_USERS) {
      const twin = `${u.username}.twin`;
      const pii = u.permissions.includes('pii');
      await createUser(db, {
        username: twin,
        password: DEMO_PASSWORD,
        orgCode: u.org,
        roles: u.roles,
        permissions: pii ? [] : ['pii'],
      });
      for (const [username, p] of [
        [u.username, pii],
        [twin, !pii],
      ] as const)
        callers.push({ username, roles: u.roles, pii: p, orgPath: paths.get(u.org) ?? '', token: '' });
    }
    await createUser(db, {
      username: 'jinjiang.staff',
      password: DEMO_PASSWORD,
      orgCode: OUTSIDE_ORG,
      roles: ['field_staff'],
      permissions: ['pii'],
    });
    const login = async (username: string) => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      expect(r.statusCode, `login ${username}: ${r.body}`).toBe(200);
      return (r.json() as { token: string }).token;
    };
    for (const c of callers) c.token = await login(c.username);
    const file = async (username: string, seed: number, status: 'draft' | 'submitted') => {
      const token = await login(username);
      // The household signs on the screen: a personal attachment of the survey.
      const signed = await app.inject({
        method: 'POST',
        url: '/api/attachments?name=sign.png',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
        payload: pngBytes(3_000, seed),
      });
      expect(signed.statusCode, signed.body).toBeLessThan(300);
      const data: Record<string, unknown> = {
        ...householdData(seed),
        phone: `1390000${String(seed).padStart(4, '0')}`,
        householdSignatureImage: signed.json(),
      };
      const r = await app.inject({
        method: 'POST',
        url: '/api/forms/household-survey/submissions',
        headers: { authorization: `Bearer ${token}` },
        payload: { data, status },
      });
      expect(r.statusCode, r.body).toBe(201);
      for (const m of (data.members as { idNumber?: string }[]) ?? [])
        if (m.idNumber) identifiers.add(m.idNumber);
      identifiers.add(String(data.headIdNumber));
      identifiers.add(String(data.phone));
      return { id: (r.json() as { id: string }).id, data, attachment: (signed.json() as { id: string }).id };
    };
    const inside = await file('baiyicun.staff', 21, 'submitted');
    // A county's field worker files a draft: the workflow starts at a village.
    const outside = await file('jinjiang.staff', 22, 'draft');
    inData = inside.data;
    outsideIds = [String(outside.data.headIdNumber), String(outside.data.phone)];
    objects.in.submission = inside.id;
    objects.out.submission = outside.id;
    objects.in.attachment = inside.attachment;
    objects.out.attachment = outside.attachment;
    const userId = async (username: string) =>
      (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow())
        .id;
    objects.in.token = (
      await issueToken(db, await userId('baiyicun.staff'), { kind: 'api', ttlMs: 86_400_000 })
    ).id;
    objects.out.token = (
      await issueToken(db, await userId('jinjiang.staff'), { kind: 'api', ttlMs: 86_400_000 })
    ).id;
    const records = await app.inject({
      method: 'GET',
      url: '/api/registers/households/records',
      headers: { authorization: `Bearer ${callers[0]?.token}` },
    });
    const items =
      (records.json() as { items?: { id: string; orgCode?: string; org?: string }[] }).items ?? [];
    const recordIn = items.find((x) => JSON.stringify(x).includes('511923102201'));
    const recordOut = items.find((x) => JSON.stringify(x).includes(OUTSIDE_ORG));
    objects.in.record = recordIn?.id ?? 'none';
    objects.out.record = recordOut?.id ?? 'none';
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await t?.destroy();
  });

  it('every route × caller × object: the status class its rules give, and no whole identifier without pii', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const table = rules(inData);
    const routes: { key: string; method: string; path: string; isPublic: boolean }[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        routes.push({
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          isPublic: op.security?.length === 0,
        });
    const unknown = routes.filter((r) => !isPage(r.path) && !table[r.key]).map((r) => r.key);
    expect(unknown, 'routes the matrix does not know: give each a rule').toEqual([]);
    expect(routes.length).toBeGreaterThan(50);

    const failures: string[] = [];
    let shownToPii = 0;
    let n = 0;
    const send = async (method: string, s: Sample, token?: string) => {
      const r = await app.inject({
        method: method as 'GET',
        url: s.url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(s.headers ?? {}) },
        ...(s.body === undefined ? {} : { payload: s.body as Record<string, unknown> }),
      });
      return { status: r.statusCode, body: r.body };
    };
    const ordered = [...routes].sort(
      (a, b) => Number(table[a.key]?.last ?? false) - Number(table[b.key]?.last ?? false),
    );
    for (const route of ordered) {
      if (isPage(route.path)) {
        for (const c of callers) {
          const r = await send(
            'GET',
            {
              url: route.path.replace('{formId}', 'household-survey').replace('{id}', objects.in.submission),
            },
            c.token,
          );
          if (classOf(r.status) === '5xx') failures.push(`${route.key} ${c.username}: ${r.status}`);
          if (!c.pii && [...identifiers].some((x) => r.body.includes(x)))
            failures.push(`${route.key} ${c.username}: leaks an identifier`);
        }
        continue;
      }
      const rule = table[route.key] as RouteRule;
      // Without a token: 401 on every route that is not public.
      const anon = await send(route.method, rule.sample(objects.in, 'in', n++));
      if (!route.isPublic && anon.status !== 401) failures.push(`${route.key} anonymous: ${anon.status}`);
      for (const side of rule.scoped ? (['in', 'out'] as const) : (['in'] as const)) {
        for (const c of callers) {
          const s = rule.sample(objects[side], side, n++);
          const r = await send(route.method, s, c.token);
          const cls = classOf(r.status);
          const where = `${route.key} [${side}] ${c.username}: ${r.status} ${r.body.slice(0, 160)}`;
          const allowed =
            (rule.roles === undefined || rule.roles.some((x) => c.roles.includes(x))) &&
            (!rule.topOnly || c.orgPath.split('/').filter(Boolean).length === 1) &&
            (!rule.needsPii || c.pii);
          const reaches = side === 'in' || `/510000/510100/${OUTSIDE_ORG}/`.startsWith(c.orgPath);
          if (cls === '5xx') failures.push(where);
          else if (!allowed && cls !== '4xx') failures.push(`${where} (not allowed)`);
          else if (!reaches && cls !== '4xx' && !rule.listsOutside)
            failures.push(`${where} (outside the caller's subtree)`);
          else if (allowed && side === 'in' && rule.inside === '2xx' && cls !== '2xx')
            failures.push(`${where} (must answer)`);
          // Nothing of the outside household reaches a caller above whom it does not sit.
          const seesOutside = `/510000/510100/${OUTSIDE_ORG}/`.startsWith(c.orgPath);
          if (
            !seesOutside &&
            (r.body.includes(objects.out.submission) || outsideIds.some((x) => r.body.includes(x)))
          )
            failures.push(`${where} (shows the outside household)`);
          const leaked = [...identifiers].filter((x) => r.body.includes(x));
          if (!c.pii && leaked.length > 0) failures.push(`${where} (leaks ${leaked.join(', ')})`);
          if (c.pii && leaked.length > 0) shownToPii++;
        }
      }
    }
    expect(failures).toEqual([]);
    // The same responses show identifiers to callers with pii: the leak check can fail.
    expect(shownToPii).toBeGreaterThan(20);
  }, 120_000);
});
