import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statisticsReportStatus } from '../../../engine/workflow-store/statistics-status.ts';
import { makeVisitStatistics } from '../../factories/visit-statistics.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { type WorkflowTestApp, workflowApp } from '../workflow-store/setup.ts';

interface Task {
  submissionId: string;
  state: string;
  overdue: boolean;
  deadline: string | null;
}

describe.each(dialects())('statistics-report through the HTTP API on $name', (dialect) => {
  let t: TestDatabase;
  let w: WorkflowTestApp;
  beforeAll(async () => {
    t = await dialect.open();
    w = await workflowApp(t, '2021-06-01T02:00:00.000Z');
  });
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
  });

  const report = async (periodDue: '2021-06-03' | '2021-06-20' | '2021-09-03') => {
    const r = await w.call('bazhong.reviewer', 'POST', '/api/forms/visit-statistics/submissions', {
      data: makeVisitStatistics(7, { city: '511900', periodDue }),
      orgUnit: '511900',
      status: 'draft',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const act = async (user: string, id: string, action: string, status: number, body = {}) => {
    const r = await w.call(user, 'POST', `/api/submissions/${id}/actions/${action}`, body);
    expect(r.statusCode, `${user} ${action}: ${r.body}`).toBe(status);
    return r.json<{ state: string }>();
  };
  const tasksOf = async (user: string) =>
    (await w.call(user, 'GET', '/api/tasks?form=visit-statistics')).json<{ items: Task[] }>().items;

  it('a city reports, the province returns and accepts; wrong level 403, outside the subtree 404', async () => {
    w.now = '2021-06-02T02:00:00.000Z';
    const id = await report('2021-06-20');
    await act('province.reviewer', id, 'submit', 403);
    await act('admin', id, 'submit', 403);
    await act('chengdu.reviewer', id, 'submit', 404);
    await act('pingchang.reviewer', id, 'submit', 404);
    expect((await act('bazhong.reviewer', id, 'submit', 200)).state).toBe('province_review');

    expect((await tasksOf('province.reviewer')).map((x) => x.submissionId)).toContain(id);
    await act('bazhong.reviewer', id, 'accept', 403);
    await act('chengdu.reviewer', id, 'accept', 404);
    await act('province.reviewer', id, 'return', 422);
    expect((await act('province.reviewer', id, 'return', 200, { comment: '合计有误' })).state).toBe('draft');
    await act('bazhong.reviewer', id, 'submit', 200);
    expect((await act('province.reviewer', id, 'accept', 200)).state).toBe('accepted');
    const history = (await w.call('bazhong.reviewer', 'GET', `/api/submissions/${id}/history`)).json<{
      items: { action: string }[];
    }>();
    expect(history.items.map((h) => h.action)).toEqual(['submit', 'return', 'submit', 'accept']);

    const status = await statisticsReportStatus(t.db, {
      period: '2021-06-20',
      orgCode: '510000',
      now: '2021-06-25T00:00:00.000Z',
    });
    const bazhong = status.cities.find((c) => c.orgCode === '511900');
    // Handed in first on 2 June: on time, though accepted only after a return.
    expect(bazhong).toMatchObject({ status: 'on_time', submissionId: id, state: 'accepted' });
    expect(bazhong?.submittedAt).toBe('2021-06-02T02:00:00.000Z');
  });

  it('a deadline marks the draft overdue and the report late; a city with nothing is missing', async () => {
    w.now = '2021-06-02T02:00:00.000Z';
    const id = await report('2021-06-03');
    const before = (await tasksOf('bazhong.reviewer')).find((x) => x.submissionId === id);
    expect(before).toMatchObject({ state: 'draft', overdue: false });
    // The due date counts in full, China time: the 3rd ends at 16:00 UTC.
    w.now = '2021-06-03T15:59:00.000Z';
    expect((await tasksOf('bazhong.reviewer')).find((x) => x.submissionId === id)?.overdue).toBe(false);
    w.now = '2021-06-04T01:00:00.000Z';
    expect((await tasksOf('bazhong.reviewer')).find((x) => x.submissionId === id)?.overdue).toBe(true);
    const pending = await statisticsReportStatus(t.db, {
      period: '2021-06-03',
      orgCode: '510000',
      now: '2021-06-02T00:00:00.000Z',
    });
    expect(pending.cities.find((c) => c.orgCode === '510100')?.status).toBe('pending');

    await act('bazhong.reviewer', id, 'submit', 200);
    const status = await statisticsReportStatus(t.db, {
      period: '2021-06-03',
      orgCode: '510000',
      now: w.now,
    });
    expect(status.period.due).toBe('2021-06-03');
    expect(status.cities.find((c) => c.orgCode === '511900')).toMatchObject({
      status: 'late',
      submissionId: id,
    });
    expect(status.cities.find((c) => c.orgCode === '510100')).toMatchObject({
      status: 'missing',
      submissionId: null,
    });
    // A city sees only itself.
    const own = await statisticsReportStatus(t.db, { period: '2021-06-03', orgCode: '511900', now: w.now });
    expect(own.cities.map((c) => c.orgCode)).toEqual(['511900']);
  });
});
