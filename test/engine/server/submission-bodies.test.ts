import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionArb } from '../../factories/hostile.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const FORM = 'test-household';

/** Bodies of every shape: a submission's envelope with random data, or any JSON at all. */
const bodyArb = fc.oneof(
  fc.record(
    {
      data: fc.oneof(submissionArb, fc.jsonValue({ maxDepth: 4 })),
      status: fc.oneof(fc.constantFrom('draft', 'submitted', 'approved', ''), fc.string({ maxLength: 8 })),
      orgUnit: fc.oneof(fc.constantFrom('511923102201', '510104', 'nope'), fc.string({ maxLength: 12 })),
      period: fc.oneof(fc.constantFrom('2021-06', '2021-13', '2021-02-30'), fc.string({ maxLength: 10 })),
      version: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 5 }),
);

describe.each(dialects().slice(0, 1))(
  'random HTTP submission bodies on $name (property-based)',
  (dialect) => {
    let t: TestDatabase;
    let a: TestApp;
    /** A stored draft the updates aim at (most are refused: wrong version, bad data …). */
    let draftId: string;
    beforeAll(async () => {
      t = await dialect.open();
      a = await testApp(t);
      const draft = await a.call('villageStaff', 'POST', `/api/forms/${FORM}/submissions`, {
        data: { headName: '王五' },
        status: 'draft',
      });
      expect(draft.statusCode, draft.body).toBe(201);
      draftId = (draft.json() as { id: string }).id;
    });
    afterAll(async () => {
      await a?.close();
      await t?.destroy();
    });

    it('never answer 5xx, and every refusal carries a code', async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(bodyArb, fc.constantFrom('create', 'update'), async (body, how) => {
          const r =
            how === 'create'
              ? await a.call('villageStaff', 'POST', `/api/forms/${FORM}/submissions`, body)
              : await a.call('villageStaff', 'PATCH', `/api/submissions/${draftId}`, body);
          statuses.add(r.statusCode);
          expect(r.statusCode, r.body).toBeLessThan(500);
          if (r.statusCode >= 400)
            expect((r.json() as { code?: string }).code).toMatch(/^NX_ERR_[A-Z0-9_]+$/);
        }),
        { numRuns: 120, seed: 31, endOnFailure: true },
      );
      // Refusals and acceptances both occurred: the bodies reached validation, not only the parser.
      expect([...statuses].some((s) => s >= 400)).toBe(true);
    });
  },
);
