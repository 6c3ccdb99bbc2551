import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileLogic, truthy } from '../../../engine/entry/runtime.ts';
import type { ComparisonRule } from '../../../plugins/crosschecks/comparison-schema.ts';
import { ruleFilter, type SqlValue } from '../../../plugins/crosschecks/rule-sql.ts';
import { mulberry32, type Rng } from '../../factories/prng.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

/**
 * The SQL pre-filter of a comparison rule may only skip rows where the rule cannot hold: on
 * generated rows (booleans, numbers and texts, null among them, matched or not) and generated
 * conditions, wherever the JSON Logic condition is true the SQL predicate is true too — and it
 * does filter (else it would save nothing).
 */

interface Row {
  id: number;
  m: number;
  b: number | null;
  n: number | null;
  s: string | null;
}

const rng = mulberry32(20);
const ROWS: Row[] = Array.from({ length: 160 }, (_, id) => ({
  id,
  m: rng.chance(0.6) ? 1 : 0,
  b: rng.pick([null, 0, 1, 2]),
  n: rng.pick([null, 0, 1, -2, 3.5]),
  s: rng.pick([null, '', 'active', 'closed']),
}));

const VARS = ['matched', 'list.flag', 'list.amount', 'register.status', 'register.flag'];
const CONSTS: unknown[] = [true, false, null, 0, 1, 3.5, 'active', '', 'closed'];

function condition(r: Rng, depth: number): unknown {
  const v = () => ({ var: r.pick(VARS) });
  const k = r.int(0, depth > 2 ? 3 : 7);
  if (k === 0) return v();
  if (k === 1)
    return { [r.pick(['==', '!='])]: r.chance(0.5) ? [v(), r.pick(CONSTS)] : [r.pick(CONSTS), v()] };
  if (k === 2) return { [r.pick(['<', '<=', '>', '>='])]: [v(), r.pick([0, 1, -1, 3])] };
  if (k === 3) return { '!': [v()] };
  if (k === 4) return { '!': condition(r, depth + 1) };
  if (k === 5) return { '!!': [condition(r, depth + 1)] };
  if (k === 6) return { and: [condition(r, depth + 1), condition(r, depth + 1)] };
  return { or: [condition(r, depth + 1), condition(r, depth + 1)] };
}

/** What a rule reads of a row, typed as a run types it (register values only when matched). */
const facts = (row: Row) => {
  const matched = row.m === 1;
  const asBool = (x: number | null) => (x === null ? null : x === 1);
  return {
    matched,
    match: { role: null },
    list: { flag: asBool(row.b), amount: row.n },
    register: matched ? { status: row.s, flag: asBool(row.b) } : {},
    benefits: { active: null },
  };
};

const VALUES: Record<string, SqlValue> = {
  'list.flag': { expr: sql`b`, kind: 'boolean' },
  'list.amount': { expr: sql`n`, kind: 'number' },
  'register.status': { expr: sql`case when m = 1 then s end`, kind: 'text' },
  'register.flag': { expr: sql`case when m = 1 then b end`, kind: 'boolean' },
};

describe.each(dialects())('comparison rules as SQL pre-filters on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
    await sql`create table rs_rows (id integer primary key, m integer not null, b integer, n double precision, s text)`.execute(
      t.db,
    );
    for (const r of ROWS)
      await sql`insert into rs_rows (id, m, b, n, s) values (${r.id}, ${r.m}, ${r.b}, ${r.n}, ${r.s})`.execute(
        t.db,
      );
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('is true wherever the condition holds, on 300 generated conditions, and filters most of them', async () => {
    const filterOf = ruleFilter((p) => VALUES[p], sql`m = 1`);
    const gen = mulberry32(7);
    let filtering = 0;
    for (let c = 0; c < 300; c++) {
      const when = condition(gen, 0);
      const pred = filterOf({ when } as ComparisonRule);
      if (!pred) continue;
      const ev = compileLogic(when);
      const got = await sql<{
        id: number;
        p: number;
      }>`select id, case when ${pred} then 1 else 0 end as p from rs_rows order by id`.execute(t.db);
      const may = new Map(got.rows.map((r) => [Number(r.id), Number(r.p) === 1]));
      for (const row of ROWS) {
        const holds = truthy(ev({ data: facts(row), ctx: {} }));
        if (holds && !may.get(row.id))
          expect.fail(
            `${JSON.stringify(when)} holds on ${JSON.stringify(row)} but the SQL pre-filter skips it`,
          );
      }
      if ([...may.values()].includes(false)) filtering++;
    }
    expect(filtering).toBeGreaterThan(150);
  });

  it('translates the shipped conditions exactly enough to skip rows', () => {
    const filterOf = ruleFilter((p) => VALUES[p], sql`m = 1`);
    const when = {
      and: [
        { var: 'matched' },
        { '==': [{ var: 'register.status' }, 'active'] },
        { '==': [{ var: 'list.flag' }, true] },
        { '!': { var: 'register.flag' } },
      ],
    };
    expect(filterOf({ when } as ComparisonRule)).toBeDefined();
    expect(filterOf({ when: { '!': { var: 'matched' } } } as ComparisonRule)).toBeDefined();
    // A computed path cannot be translated: every row may hold.
    expect(filterOf({ when: { var: { cat: ['list.', 'flag'] } } } as ComparisonRule)).toBeUndefined();
  });
});
