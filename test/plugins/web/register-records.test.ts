import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../engine/entry/definition.ts';
import {
  benefitWords,
  differing,
  hasMasked,
  listId,
  optionWords,
  queryBody,
  resurveyData,
  valueWords,
  versionSentence,
} from '../../../plugins/web/client/register-records.ts';
import { idcardAgeOn, makeIdcard } from '../../factories/idcard.ts';

const ROOT = join(import.meta.dirname, '../../..');
const SURVEY = JSON.parse(readFileSync(join(ROOT, 'forms/household-survey.json'), 'utf8')) as FormDefinition;

describe('resurveyData', () => {
  const child = makeIdcard({ region: '511923', birthDate: '2010-06-15', seq: 3 });
  const last = {
    headName: '旧名',
    surveyDate: '2021-05-13',
    surveyorSignatureImage: { attachmentId: 'a1' },
    householdSignatureImage: { attachmentId: 'a2' },
    members: [
      { name: '小明', idNumber: child, age: 10 },
      { name: '无证', idNumber: '', age: 7 },
    ],
  };
  const prefill = { headIdNumber: '51192319600315123X', headName: '新名', registerBaseVersion: 3 };

  it('starts from the last survey, the record over it, dated the day of the new visit', () => {
    const d = resurveyData(SURVEY, last, prefill, '2026-12-07');
    expect(d).toMatchObject({ headName: '新名', registerBaseVersion: 3, surveyDate: '2026-12-07' });
    expect(d.headIdNumber).toBe('51192319600315123X');
  });

  it('recomputes each member age from the ID number as of the new date, leaves rows without one', () => {
    const d = resurveyData(SURVEY, last, prefill, '2026-12-07');
    const rows = d.members as { age: number; name: string }[];
    expect(rows[0]?.age).toBe(idcardAgeOn(child, '2026-12-07'));
    expect(rows[0]?.age).toBe(16);
    expect(rows[1]?.age).toBe(7);
    // The last survey is not changed in place.
    expect(last.members[0]?.age).toBe(10);
  });

  it('leaves signatures empty: a new visit signs again', () => {
    const d = resurveyData(SURVEY, last, prefill, '2026-12-07');
    expect(d).not.toHaveProperty('surveyorSignatureImage');
    expect(d).not.toHaveProperty('householdSignatureImage');
  });

  it('works from the record alone when there is no survey to start from (an imported family)', () => {
    expect(resurveyData(SURVEY, undefined, prefill, '2026-12-07')).toEqual({
      ...prefill,
      surveyDate: '2026-12-07',
    });
  });
});

describe('register values in words', () => {
  it('masks ID numbers in lists, keeps masked ones as they are', () => {
    expect(listId('51192319600315123X')).toBe('511923********123X');
    expect(listId('5119**********123X')).toBe('5119**********123X');
  });

  it('says coded values with the form’s labels, money in 元, booleans as yes/no', () => {
    const options = optionWords(SURVEY);
    expect(valueWords({ id: 'areaType', type: 'text' }, 'rural', options)).toBe('农村');
    expect(valueWords({ id: 'cashDeposits', type: 'money' }, 1234.5)).toBe('1,234.5 元');
    expect(valueWords({ id: 'x', type: 'boolean' }, false)).toBe('否');
    expect(valueWords({ id: 'x', type: 'text' }, null)).toBe('—');
    expect(valueWords({ id: 'povertyCauses', type: 'codes' }, '["illness","disability"]', options)).toBe(
      '疾病、残疾',
    );
    expect(valueWords({ id: 'povertyCauses', type: 'codes' }, [], options)).toBe('—');
  });

  it('tells a version: who, when, how and against which version', () => {
    const v = {
      recordId: 'households_1',
      version: 3,
      source: 'submission',
      submissionId: 's1',
      baseVersion: 1,
      conflict: true,
      actor: 'baiyicun.staff',
      at: '2026-12-07T02:00:00.000Z',
      properties: {},
      members: [],
    };
    expect(versionSentence(v, () => '12/7')).toBe(
      '第 3 版：12/7 由 baiyicun.staff 记入（入户调查（与当前版本冲突，待处理），依据第 1 版填写）',
    );
    expect(versionSentence({ ...v, source: 'merge:households_2', baseVersion: null, conflict: false })).toBe(
      '第 3 版：由 baiyicun.staff 记入（合并记录 households_2）',
    );
  });

  it('marks the properties two sides disagree on', () => {
    const props = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect([...differing(props, { a: 1, b: 'x' }, { a: 1, b: 'y', c: null })]).toEqual(['b']);
  });

  it('finds masked values a re-survey cannot send back', () => {
    expect(hasMasked({ headIdNumber: '5119**********123X' })).toBe(true);
    expect(hasMasked({ headIdNumber: '51192319600315123X', phone: '15902291272' })).toBe(false);
  });

  it('says a benefit with its kind, amount per month and state', () => {
    const b = {
      id: 'b1',
      type: 'dibao',
      period: 'monthly',
      amount: 490,
      status: 'active',
      startMonth: '2026-01',
      endMonth: null,
      applicationId: 's',
    };
    expect(benefitWords(b)).toBe('低保 490 元/月，发放中，2026-01 起');
  });
});

describe('queryBody', () => {
  it('turns the filters into typed property filters, never an ID number', () => {
    expect(
      queryBody(
        {
          orgCode: '511923102201',
          status: 'active',
          areaType: 'rural',
          maxIncome: '600',
          surveyedBefore: '2026-01-01',
        },
        'households_9',
        50,
      ),
    ).toEqual({
      status: 'active',
      orgCode: '511923102201',
      filters: [
        { property: 'areaType', op: 'eq', value: 'rural' },
        { property: 'perCapitaMonthlyIncome', op: 'lte', value: 600 },
        { property: 'surveyDate', op: 'lt', value: '2026-01-01' },
      ],
      after: 'households_9',
      limit: 50,
    });
    expect(queryBody({ maxIncome: ' ' }, null, 10)).toEqual({ filters: [], limit: 10 });
  });
});
