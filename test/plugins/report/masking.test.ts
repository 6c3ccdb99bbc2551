import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRoutes, reportServiceFromConfig } from '../../../plugins/report/index.ts';
import { type HouseholdData, makeHousehold } from '../../factories/household.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdIdentifiers, leakedIn, readableBody } from '../../helpers/pii.ts';
import { insertSubmission, pluginReportRules, visitData } from './seed-data.ts';

const VILLAGE_PATH = '/510000/511900/511923/511923102/511923102201/';

/**
 * Every report the plugin ships, in every format it writes, for a user without `pii`: no ID number
 * or phone of the seeded households appears whole. The same requests by a user with `pii` show
 * them (where the report shows identifiers at all), so the check can fail.
 */
const rules = await pluginReportRules();

for (const dialect of dialects()) {
  describe(`report masking for users without pii (${dialect.name})`, () => {
    let t: TestDatabase;
    let api: TestApp;
    const identifiers = new Set<string>();
    const ids: string[] = [];
    const service = reportServiceFromConfig({}, rules);
    beforeAll(async () => {
      t = await dialect.open();
      api = await testApp(t, { plugins: [{ plugin: reportRoutes(service), prefix: '/api/reports' }] });
      await insertSubmission(t.db, {
        formId: 'visit-statistics',
        orgCode: '511900',
        data: visitData('511900', '2021-06-03', ['511902', '511923'], 5),
        createdAt: '2021-06-01T00:00:00.000Z',
      });
      for (let i = 0; i < 40; i++) {
        const h: HouseholdData = makeHousehold(7000 + i, { phone: `139${String(10_000_000 + i).slice(-8)}` });
        for (const x of householdIdentifiers(h)) identifiers.add(x);
        const id = await insertSubmission(t.db, {
          formId: 'household-survey',
          orgCode: '511923102201',
          data: h as unknown as Record<string, unknown>,
          createdAt: '2021-06-01T00:00:00.000Z',
        });
        ids.push(id);
        // Every other family applied, approved or in notice in June, so the public notice and the payment list have rows.
        if (i % 2 === 0) {
          const app = await insertSubmission(t.db, {
            formId: 'assistance-application',
            orgCode: '511923102201',
            data: {
              headIdNumber: h.headIdNumber,
              headName: h.headName,
              phone: h.phone,
              assistanceType: 'dibao',
            },
            createdAt: '2021-06-01T00:00:00.000Z',
          });
          await t.db
            .withTables<{ workflow_instances: Record<string, unknown> }>()
            .insertInto('workflow_instances')
            .values({
              id: `wf-${app}`,
              submission_id: app,
              workflow_id: 'assistance-application',
              workflow_version: 2,
              state: i % 4 === 0 ? 'approved' : 'public_notice',
              submitter_id: 'test',
              org_code: '511923102201',
              org_path: VILLAGE_PATH,
              entered_at: '2021-06-10T00:00:00.000Z',
              approvals: '[]',
              version: 1,
              deadline_at: null,
              timer_due_at: null,
              created_at: '2021-06-10T00:00:00.000Z',
              updated_at: '2021-06-10T00:00:00.000Z',
            })
            .execute();
        }
      }
    }, 60_000);
    afterAll(async () => {
      await api?.close();
      await t?.destroy();
    });

    const get = async (user: 'pingchangViewer' | 'pingchangReviewer', url: string) => {
      const r = await api.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${await api.token(user)}` },
      });
      return {
        status: r.statusCode,
        text: await readableBody(r.rawPayload, r.headers['content-type'] as string),
      };
    };

    it('no report × format shows a whole ID number or phone to a user without pii', async () => {
      const shown: string[] = [];
      for (const def of service.list()) {
        // Sources other plugins provide (payment lines) are checked with their plugin: test/plugins/payments.
        // So are documents whose lines a plugin provides (the 幸福清单: test/plugins/benefits).
        if (def.source.provided || def.source.familyLines) continue;
        const formats = def.kind === 'document' ? ['json', 'html'] : ['json', 'csv', 'xlsx', 'html'];
        const subs = def.kind === 'document' ? ids.slice(0, 3).map((s) => `&submission=${s}`) : [''];
        const period = def.kind === 'list' ? '2021-06' : def.kind === 'document' ? '2021-06' : '2021-06-03';
        for (const format of formats) {
          for (const sub of subs) {
            const url = `/api/reports/${def.id}?org=511923&period=${period}&format=${format}${sub}`;
            const masked = await get('pingchangViewer', url);
            expect(masked.status, `${url}: ${masked.text.slice(0, 300)}`).toBe(200);
            expect(leakedIn(masked.text, identifiers), url).toEqual([]);
            const whole = await get('pingchangReviewer', url);
            expect(whole.status, url).toBe(200);
            if (leakedIn(whole.text, identifiers).length > 0) shown.push(`${def.id}.${format}`);
          }
        }
      }
      // The reports that print identifiers do show them to a user with pii (the check can fail).
      for (const f of ['json', 'html']) expect(shown).toContain(`household-survey-print.${f}`);
      for (const f of ['json', 'csv', 'xlsx', 'html']) expect(shown).toContain(`approved-list.${f}`);
    }, 120_000);

    it('a document’s JSON carries the submission data masked as the submission API masks it', async () => {
      const url = `/api/reports/household-survey-print?org=511923&format=json&submission=${ids[1]}`;
      const r = await get('pingchangViewer', url);
      const context = JSON.parse(r.text) as { data: Record<string, unknown> };
      expect(String(context.data.headIdNumber)).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      expect(String(context.data.phone)).toMatch(/^139\*{4}\d{4}$/);
    });
  });
}
