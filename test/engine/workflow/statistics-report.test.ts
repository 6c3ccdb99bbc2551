import { describe, expect, it } from 'vitest';
import { findPeriod, reportStatus } from '../../../engine/workflow/report-status.ts';
import { deadlineOf, isOverdue } from '../../../engine/workflow/timers.ts';
import { instance, ORG, people, shipped } from './fixtures.ts';
import { CaseWalk } from './walk.ts';

const wf = shipped('statistics-report');
const periods = wf.state('draft')?.deadline?.periods ?? [];

/** A city's report (巴中市) for one reporting round, started on `start`. */
const report = (period: string, start: string) =>
  new CaseWalk(
    wf,
    instance({
      caseOrgPath: [ORG.province, ORG.city],
      submitterId: people.cityStaff.id,
      submitterOrg: ORG.city,
      period,
      enteredAt: start,
    }),
    { periodDue: period, reportingUnit: ORG.city },
    start,
  );

describe('statistics-report, end to end through the pure engine', () => {
  it('lists the five due dates of the seed, keyed like the form’s reporting rounds', () => {
    expect(periods.map((p) => p.due)).toEqual([
      '2021-06-03',
      '2021-06-20',
      '2021-09-03',
      '2021-12-03',
      '2022-01-04',
    ]);
    expect(findPeriod(periods, '2021-06-20')?.label?.en).toMatch(/half/i);
  });

  it('a city submits, the province returns, the city resubmits, the province accepts; others are refused', () => {
    const c = report('2021-06-03', '2021-05-20T01:00:00.000Z');
    c.onlyRightful('submit', [people.cityStaff, people.cityReviewer]);
    c.act(people.cityStaff, 'submit');
    expect(c.inst.state).toBe('province_review');

    c.onlyRightful('return', [people.provinceReviewer], { comment: '第3行合计有误' });
    expect(c.refused(people.provinceReviewer, 'return')).toBe('422 NX_ERR_WF_INPUT_REQUIRED');
    c.act(people.provinceReviewer, 'return', { comment: '第3行合计有误' });
    expect(c.inst.state).toBe('draft');

    c.act(people.cityReviewer, 'submit');
    c.onlyRightful('accept', [people.provinceReviewer]);
    const accepted = c.act(people.provinceReviewer, 'accept');
    expect(accepted.record).toMatchObject({
      from: 'province_review',
      to: 'accepted',
      actorOrg: ORG.province,
    });
    expect(c.inst.state).toBe('accepted');
    expect(c.offered(people.provinceReviewer)).toEqual([]);
  });

  it('another city cannot see or act on this city’s report (404)', () => {
    const c = report('2021-06-03', '2021-05-20T01:00:00.000Z');
    expect(c.refused(people.otherCityStaff, 'submit')).toBe('404 NX_ERR_WF_OUTSIDE_SCOPE');
    expect(c.offered(people.otherCityStaff)).toEqual([]);
  });

  it('the submitter may withdraw before the province acts', () => {
    const c = report('2021-09-03', '2021-08-20T01:00:00.000Z');
    c.act(people.cityStaff, 'submit');
    expect(c.refused(people.cityReviewer, 'withdraw')).toBe('403 NX_ERR_WF_NOT_SUBMITTER');
    c.act(people.cityStaff, 'withdraw');
    expect(c.inst.state).toBe('draft');
  });

  it('cannot be submitted without naming its reporting round (guard)', () => {
    const c = report('2021-06-03', '2021-05-20T01:00:00.000Z');
    c.data = { reportingUnit: ORG.city };
    expect(c.refused(people.cityStaff, 'submit')).toBe('409 NX_ERR_WF_GUARD_FAILED');
  });

  it('is overdue once the whole due day has passed in China time', () => {
    const c = report('2021-06-03', '2021-05-20T01:00:00.000Z');
    expect(deadlineOf(wf, c.inst)).toBe('2021-06-03T16:00:00.000Z');
    expect(isOverdue(wf, c.inst, '2021-06-03T23:59:00+08:00')).toBe(false);
    expect(isOverdue(wf, c.inst, '2021-06-04T00:00:01+08:00')).toBe(true);
    c.act(people.cityStaff, 'submit');
    // In province review the city's deadline no longer applies; the province has five days.
    expect(deadlineOf(wf, c.inst)).toBe(new Date(Date.parse(c.now) + 5 * 86_400_000).toISOString());
  });

  it('has no period deadline for an unknown period', () => {
    const c = report('2023-01-01', '2022-12-01T01:00:00.000Z');
    expect(deadlineOf(wf, c.inst)).toBeNull();
    expect(isOverdue(wf, c.inst, '2030-01-01T00:00:00Z')).toBe(false);
  });

  it.each(periods.map((p) => [p.due, p] as const))(
    'marks the %s report on time, late, pending or missing',
    (_due, p) => {
      const day = 86_400_000;
      const dueEnd = Date.parse(`${p.due}T23:59:59+08:00`);
      const at = (ms: number) => new Date(ms).toISOString();
      expect(reportStatus(p, at(dueEnd - day), at(dueEnd + 9 * day))).toBe('on_time');
      expect(reportStatus(p, at(dueEnd), at(dueEnd + day))).toBe('on_time');
      expect(reportStatus(p, at(dueEnd + 2000), at(dueEnd + day))).toBe('late');
      expect(reportStatus(p, null, at(dueEnd - day))).toBe('pending');
      expect(reportStatus(p, null, at(dueEnd + 2000))).toBe('missing');
      // The due date alone works as the period.
      expect(reportStatus(p.due, at(dueEnd + day), at(dueEnd + day))).toBe('late');
    },
  );

  it('walks a late report: submitted after the due date it still goes through, and reads as late', () => {
    const p = findPeriod(periods, '2021-12-03')!;
    const c = report(p.id, '2021-11-20T01:00:00.000Z');
    c.wait('P14D');
    expect(isOverdue(wf, c.inst, c.now)).toBe(true);
    expect(reportStatus(p, null, c.now)).toBe('missing');
    const sent = c.act(people.cityStaff, 'submit');
    expect(reportStatus(p, sent.record.at, c.now)).toBe('late');
  });
});
