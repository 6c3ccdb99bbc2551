import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRoutes, reportServiceFromConfig } from '../../../plugins/report/index.ts';
import { makeHousehold } from '../../factories/household.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { insertSubmission, pluginReportRules, visitData } from './seed-data.ts';

for (const dialect of dialects()) {
  describe(`GET /api/reports (${dialect.name})`, () => {
    let t: TestDatabase;
    let api: TestApp;
    let idNumber: string;
    beforeAll(async () => {
      t = await dialect.open();
      const service = reportServiceFromConfig({}, await pluginReportRules());
      api = await testApp(t, { plugins: [{ plugin: reportRoutes(service), prefix: '/api/reports' }] });
      await insertSubmission(t.db, {
        formId: 'visit-statistics',
        orgCode: '511900',
        data: visitData('511900', '2021-06-03', ['511902', '511923'], 5),
        createdAt: '2021-06-01T00:00:00.000Z',
      });
      // Households until one is on the roster (the rules decide which).
      for (let i = 0; i < 40; i++) {
        const data = makeHousehold(3000 + i) as unknown as Record<string, unknown>;
        await insertSubmission(t.db, {
          formId: 'household-survey',
          orgCode: '511923102201',
          data,
          createdAt: '2021-06-01T00:00:00.000Z',
        });
      }
    }, 60_000);
    afterAll(async () => {
      await api.close();
      await t.destroy();
    });

    it('lists the reports with their formats', async () => {
      const r = await api.call('villageStaff', 'GET', '/api/reports');
      expect(r.statusCode).toBe(200);
      const list = (r.json() as { reports: { id: string; formats: string[] }[] }).reports;
      expect(list.map((x) => x.id)).toContain('visit-statistics');
      expect(list.find((x) => x.id === 'family-notice')?.formats).toEqual(['html', 'json']);
    });

    it('streams CSV with a BOM for the caller’s own unit by default', async () => {
      const r = await api.call(
        'bazhongAdmin',
        'GET',
        '/api/reports/visit-statistics?period=2021-06-03&format=csv',
      );
      expect(r.statusCode).toBe(200);
      expect(String(r.headers['content-type'])).toContain('text/csv');
      expect(String(r.headers['content-disposition'])).toContain('visit-statistics-511900-2021-06-03.csv');
      expect(r.body.charCodeAt(0)).toBe(0xfeff);
      expect(r.body).toContain('巴州区');
    });

    it('answers 404 for a unit outside the caller’s subtree, as for an unknown one', async () => {
      const outside = await api.call(
        'chengduStaff',
        'GET',
        '/api/reports/visit-statistics?period=2021-06-03&org=511900',
      );
      expect(outside.statusCode).toBe(404);
      const unknown = await api.call(
        'admin',
        'GET',
        '/api/reports/visit-statistics?period=2021-06-03&org=519999',
      );
      expect(unknown.statusCode).toBe(404);
      const inside = await api.call(
        'admin',
        'GET',
        '/api/reports/visit-statistics?period=2021-06-03&org=511900&format=xlsx',
      );
      expect(inside.statusCode).toBe(200);
      expect(inside.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
    });

    it('refuses a bad format or a missing period with 400', async () => {
      expect(
        (await api.call('admin', 'GET', '/api/reports/visit-statistics?period=2021-06-03&format=pdf'))
          .statusCode,
      ).toBe(400);
      expect((await api.call('admin', 'GET', '/api/reports/visit-statistics?format=csv')).statusCode).toBe(
        400,
      );
      expect((await api.call('admin', 'GET', '/api/reports/no-such-report')).statusCode).toBe(404);
    });

    it('refuses an impossible month or day as period with 400 and a pointer, never 500', async () => {
      for (const period of ['2021-13', '2021-00', '2021-02-30', '2023-02-29', '2021-06-31']) {
        const r = await api.call('admin', 'GET', `/api/reports/visit-statistics?period=${period}`);
        expect(r.statusCode, period).toBe(400);
        const body = r.json() as { code: string; errors: { path: string }[] };
        expect(body.code).toBe('NX_ERR_HTTP_BAD_REQUEST');
        expect(body.errors.map((e) => e.path)).toContain('/querystring/period');
      }
      expect(
        (await api.call('admin', 'GET', '/api/reports/visit-statistics?period=2024-02-29&format=csv'))
          .statusCode,
      ).toBe(200);
    });

    it('masks ID numbers in the roster for a viewer without pii', async () => {
      const viewer = await api.call(
        'pingchangViewer',
        'GET',
        '/api/reports/low-income-roster?period=2021-06',
      );
      const staff = await api.call('pingchangStaff', 'GET', '/api/reports/low-income-roster?period=2021-06');
      expect(viewer.statusCode).toBe(200);
      type Body = { rows: { kind: string; cells: Record<string, unknown> }[] };
      const masked = (viewer.json() as Body).rows.filter((r) => r.kind === 'data');
      const whole = (staff.json() as Body).rows.filter((r) => r.kind === 'data');
      expect(masked.length).toBeGreaterThan(0);
      expect(masked.length).toBe(whole.length);
      idNumber = whole[0]?.cells.idNumber as string;
      expect(idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(JSON.stringify(masked)).not.toContain(idNumber);
      expect(masked[0]?.cells.idNumber).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
    });

    it('prints the blank household survey as HTML', async () => {
      const r = await api.call('villageStaff', 'GET', '/api/reports/household-survey-print?format=html');
      expect(r.statusCode).toBe(200);
      expect(String(r.headers['content-type'])).toContain('text/html');
      expect(r.body).toContain('困难户签字（指模）');
      const csv = await api.call('villageStaff', 'GET', '/api/reports/household-survey-print?format=csv');
      expect(csv.statusCode).toBe(400);
      expect((csv.json() as { code: string }).code).toBe('NX_ERR_REPORT_BAD_REQUEST');
    });
  });
}
