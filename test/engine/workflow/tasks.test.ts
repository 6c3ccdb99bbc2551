import { describe, expect, it } from 'vitest';
import { statesActableBy, taskView } from '../../../engine/workflow/tasks.ts';
import { instance, people, shipped } from './fixtures.ts';

const wf = shipped('survey-approval-fixture');
const data = { householdSignature: 'signed', surveyorName: '李四' };

describe('task list helpers', () => {
  it('shows a task with its actions, deadline and overdue flag, only to those who may act', () => {
    const inst = instance({ state: 'township_review', enteredAt: '2021-05-01T00:00:00.000Z' });
    const early = taskView(wf, {
      instance: inst,
      actor: people.townshipReviewer,
      data,
      now: '2021-05-05T00:00:00.000Z',
    });
    expect(early?.actions.map((a) => a.action)).toEqual(['return', 'reject', 'approve']);
    expect(early).toMatchObject({
      state: 'township_review',
      deadline: '2021-05-11T00:00:00.000Z',
      overdue: false,
      timerDueAt: null,
    });
    expect(early?.stateLabel['zh-CN']).toBe('乡镇审核');
    const late = taskView(wf, {
      instance: inst,
      actor: people.townshipReviewer,
      data,
      now: '2021-05-12T00:00:00.000Z',
    });
    expect(late?.overdue).toBe(true);
    expect(
      taskView(wf, { instance: inst, actor: people.countyReviewer, data, now: '2021-05-05T00:00:00.000Z' }),
    ).toBeNull();
    expect(
      taskView(wf, {
        instance: inst,
        actor: people.otherTownshipReviewer,
        data,
        now: '2021-05-05T00:00:00.000Z',
      }),
    ).toBeNull();
  });

  it('names the states a role at a level can act in, for filtering cases in the store', () => {
    expect(statesActableBy(wf, people.countyReviewer)).toEqual([
      'eligibility_check',
      'county_review',
      'public_notice',
      'county_approval',
    ]);
    expect(statesActableBy(wf, people.countyAdmin)).toEqual(['county_approval']);
    expect(statesActableBy(wf, people.fieldStaff)).toEqual(['draft', 'township_review', 'public_notice']);
    expect(statesActableBy(wf, people.cityReviewer)).toEqual([]);
  });
});
