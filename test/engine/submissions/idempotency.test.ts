import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHash } from '../../../engine/submissions/idempotency.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

describe('idempotency request hash', () => {
  it('is the same for the same body with its keys in another order, at every depth', () => {
    const a = { data: { headName: '张三', members: [{ name: '李四', age: 7 }] }, status: 'draft' };
    const b = { status: 'draft', data: { members: [{ age: 7, name: '李四' }], headName: '张三' } };
    expect(requestHash(['POST', 'submissions', 'f', a])).toBe(requestHash(['POST', 'submissions', 'f', b]));
  });

  it('differs when a value, an array order or the route differs', () => {
    const base = requestHash(['POST', 'submissions', 'f', { a: 1, b: [1, 2] }]);
    expect(requestHash(['POST', 'submissions', 'f', { a: 2, b: [1, 2] }])).not.toBe(base);
    expect(requestHash(['POST', 'submissions', 'f', { a: 1, b: [2, 1] }])).not.toBe(base);
    expect(requestHash(['POST', 'submissions', 'g', { a: 1, b: [1, 2] }])).not.toBe(base);
    // A key whose name is a JSON text is not confused with nested structure.
    expect(requestHash([{ 'a":1,"b': 2 }])).not.toBe(requestHash([{ a: 1, b: 2 }]));
  });
});

describe.each(dialects())('idempotent creates on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  it('a retry whose body lists its keys in another order replays the first answer', async () => {
    const url = '/api/forms/test-household/submissions';
    const headers = { 'idempotency-key': 'reordered-1' };
    const idNumber = makeIdcard({ region: '511923', birthDate: '1970-03-04', seq: 7 });
    const first = await a.call(
      'pingchangStaff',
      'POST',
      url,
      { data: { headName: '顺序户', headIdNumber: idNumber, householdSize: 2 } },
      headers,
    );
    expect(first.statusCode, first.body).toBe(201);
    const again = await a.call(
      'pingchangStaff',
      'POST',
      url,
      { data: { householdSize: 2, headIdNumber: idNumber, headName: '顺序户' } },
      headers,
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((again.json() as { id: string }).id).toBe((first.json() as { id: string }).id);
    const stored = await t.db
      .selectFrom('submissions')
      .select('id')
      .where('form_id', '=', 'test-household')
      .execute();
    expect(stored).toHaveLength(1);
  });
});
