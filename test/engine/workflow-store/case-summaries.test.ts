import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFields } from '../../../engine/forms/identity-fields.ts';
import type { FormDefinition } from '../../../engine/index.ts';
import { makeHousehold } from '../../factories/household.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, type WorkflowTestApp, workflowApp } from './setup.ts';

interface Summary {
  submissionId: string;
  formTitle: { 'zh-CN': string };
  unitName: string;
  household: { name: string | null; idNumber: string | null };
  state: string | null;
  stateLabel: { 'zh-CN': string; en: string } | null;
  assignees: { 'zh-CN': string } | null;
  deadline: string | null;
  overdue: boolean;
  final: boolean;
  lastStep: { action: string; kind: string; comment: string | null } | null;
}

const ROOT = join(import.meta.dirname, '../../..');
const form = (id: string) =>
  JSON.parse(readFileSync(join(ROOT, 'forms', `${id}.json`), 'utf8')) as FormDefinition;

describe('identity fields of a form', () => {
  it('come from its own fields: the first idcard field and the text field beside it', () => {
    expect(identityFields(form('household-survey'))).toEqual({ name: 'headName', idNumber: 'headIdNumber' });
    expect(identityFields(form('visit-statistics'))).toEqual({ name: null, idNumber: null });
  });
});

describe.each(dialects())('GET /api/cases on $name', (dialect) => {
  let t: TestDatabase;
  let w: WorkflowTestApp;
  beforeAll(async () => {
    t = await dialect.open();
    w = await workflowApp(t);
  });
  afterAll(async () => {
    await w?.close();
    await t?.destroy();
  });

  const cases = async (user: string, query = '') => {
    const r = await w.call(user, 'GET', `/api/cases${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: Summary[] }>().items;
  };

  it('names the family, the village, the step in words, who acts next and by when; IDs masked even for pii', async () => {
    const data = householdData(21);
    const head = String(makeHousehold(21).headIdNumber);
    const r = await w.call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
      data,
      status: 'submitted',
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json<{ id: string }>().id;

    const [row] = (await cases('baiyi.reviewer')).filter((x) => x.submissionId === id);
    expect(row?.household.name).toBe(data.headName);
    expect(row?.household.idNumber).toBe(`${head.slice(0, 4)}${'*'.repeat(10)}${head.slice(-4)}`);
    expect(row?.unitName).toBe('白衣村');
    expect(row?.formTitle['zh-CN']).toBe('农村低收入群众入户调查表');
    expect(row?.state).toBe('township_review');
    expect(row?.stateLabel?.['zh-CN']).toBe('乡镇审核');
    expect(row?.assignees?.['zh-CN']).toBe('乡镇（街道）审核人员');
    expect(Date.parse(String(row?.deadline))).toBeGreaterThan(Date.parse(w.now));
    expect(row?.overdue).toBe(false);
    expect(row?.final).toBe(false);

    // A return reaches the village worker with its reason.
    const back = await w.call('baiyi.reviewer', 'POST', `/api/submissions/${id}/actions/return`, {
      comment: '缺少户主签字',
    });
    expect(back.statusCode, back.body).toBe(200);
    const mine = await cases('baiyicun.staff', '?mine=true');
    const returned = mine.find((x) => x.submissionId === id);
    expect(returned?.state).toBe('draft');
    expect(returned?.lastStep).toMatchObject({ action: 'return', kind: 'return', comment: '缺少户主签字' });

    // Filters: by state, and the subtree bounds what anyone sees.
    expect(
      (await cases('baiyicun.staff', '?state=township_review')).map((x) => x.submissionId),
    ).not.toContain(id);
    expect((await cases('jiangkou.reviewer')).map((x) => x.submissionId)).not.toContain(id);
    expect((await cases('admin', `?ids=${id}`)).map((x) => x.submissionId)).toEqual([id]);
  });

  it('refuses a limit out of range and a malformed flag', async () => {
    expect((await w.call('admin', 'GET', '/api/cases?limit=0')).statusCode).toBe(400);
    expect((await w.call('admin', 'GET', '/api/cases?overdue=perhaps')).statusCode).toBe(400);
  });
});
