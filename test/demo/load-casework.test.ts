import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredPlugins } from '../../cli/plugins.ts';
import { loadDemoWhenEmpty } from '../../cli/server.ts';
import { DEMO_HOUSEHOLDS } from '../../demo/load-casework.ts';
import { migratePlugins } from '../../engine/plugin/migrate-plugins.ts';
import '../helpers/app.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';

const ROOT = join(import.meta.dirname, '../..');

describe.each(dialects())('the demo casework on $name', (dialect) => {
  let t: TestDatabase;
  const problems: string[] = [];
  beforeAll(async () => {
    t = await dialect.open();
    const plugins = await configuredPlugins(join(ROOT, 'nuanxin.config.json'));
    if (plugins) await migratePlugins(t.db, plugins);
    expect(await loadDemoWhenEmpty(t.db, plugins, (p) => problems.push(p))).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await t?.destroy();
  });

  it('loads without a refused step, every survey submitted in the demo village and in the register', async () => {
    expect(problems).toEqual([]);
    const surveys = await t.db
      .selectFrom('submissions')
      .select(['org_code', 'status'])
      .where('form_id', '=', 'household-survey')
      .execute();
    expect(surveys).toHaveLength(DEMO_HOUSEHOLDS);
    expect(new Set(surveys.map((s) => `${s.org_code}:${s.status}`))).toEqual(
      new Set(['511923102201:submitted']),
    );
  });

  it('leaves cases at every step, benefits only for approved families, and a paid month with one failed line', async () => {
    const rows = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(t.db)).rows;
    const states = await rows<{ state: string; n: number }>(
      sql`select state, count(*) as n from workflow_instances group by state order by state`,
    );
    expect(Object.fromEntries(states.map((r) => [r.state, Number(r.n)]))).toEqual({
      approved: 6,
      draft: 1,
      eligibility_check: 1,
      public_notice: 1,
      rejected: 1,
      township_review: 1,
    });
    const benefits = await rows<{
      type: string;
      status: string;
      amount_cents: number;
      application_id: string;
    }>(sql`select type, status, amount_cents, application_id from benefits`);
    expect(benefits.map((b) => b.type).sort()).toEqual([
      'dibao',
      'dibao',
      'dibao',
      'dibao',
      'dibao',
      'linshi',
    ]);
    expect(benefits.every((b) => b.status === 'active' && Number(b.amount_cents) > 0)).toBe(true);
    // Every benefit comes from an approved application, and every approved application has one.
    const approved = await rows<{ submission_id: string }>(
      sql`select submission_id from workflow_instances where state = 'approved'`,
    );
    expect(new Set(benefits.map((b) => b.application_id))).toEqual(
      new Set(approved.map((a) => a.submission_id)),
    );

    const batches = await rows<{ id: string; status: string; generated_at: string }>(
      sql`select id, status, generated_at from payment_batches`,
    );
    expect(batches).toHaveLength(1);
    // Stamped by the demo's clock (weeks ago), not by the wall clock of the start.
    expect(Date.parse(String(batches[0]?.generated_at))).toBeLessThan(Date.now() - 5 * 86_400_000);
    const lines = await rows<{ status: string; result_reason: string | null }>(
      sql`select status, result_reason from payment_lines order by status`,
    );
    expect(lines.map((l) => l.status)).toEqual(['failed', 'paid', 'paid', 'paid', 'paid', 'paid']);
    expect(lines[0]?.result_reason).toBe('账户已冻结');
  });

  it('a second start on the same database loads nothing again', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('submissions')
            .select((e) => e.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    expect(before).toBeGreaterThan(DEMO_HOUSEHOLDS);
    const plugins = await configuredPlugins(join(ROOT, 'nuanxin.config.json'));
    expect(await loadDemoWhenEmpty(t.db, plugins, (p) => problems.push(p))).toBe(false);
    expect(await count()).toBe(before);
  });
});
