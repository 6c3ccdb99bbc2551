import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePlugins } from '../../../engine/entry/server.ts';
import {
  BUILTIN_RULESETS_DIR,
  createDbParameterSource,
  createRulesService,
  decideAsOf,
  decisionInForce,
  latestOutputs,
  listStoredParameters,
  loadRulesetsDir,
  RULES_MIGRATIONS,
  type RulesService,
  rulesDb,
  setParameter,
} from '../../../plugins/rules/index.ts';
import { type HouseholdData, makeHouseholds } from '../../factories/household.ts';
import { SICHUAN_COUNTIES } from '../../factories/regions.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { demoRecords } from './fixtures.ts';

const RULESET = 'household-eligibility';
const N = 60;

/** A generated province: N surveys (dated in May 2021) filed in the county of the head's ID number. */
async function insertProvince(t: TestDatabase, households: readonly HouseholdData[]) {
  const now = new Date().toISOString();
  const units = new Map<
    string,
    { code: string; name: string; parent_code: string | null; level: string; path: string }
  >();
  units.set('510000', {
    code: '510000',
    name: '四川省',
    parent_code: null,
    level: 'province',
    path: '/510000/',
  });
  for (const c of SICHUAN_COUNTIES) {
    const city = `/510000/${c.city.code}/`;
    units.set(c.city.code, {
      code: c.city.code,
      name: c.city.name,
      parent_code: '510000',
      level: 'city',
      path: city,
    });
    units.set(c.code, {
      code: c.code,
      name: c.name,
      parent_code: c.city.code,
      level: 'county',
      path: `${city}${c.code}/`,
    });
  }
  await t.db
    .insertInto('org_units')
    .values([...units.values()])
    .execute();
  const rows = households.map((h, i) => {
    const county = SICHUAN_COUNTIES.find((c) => c.code === h.headIdNumber.slice(0, 6));
    if (!county) throw new Error(`no county for ${h.headIdNumber}`);
    return {
      id: `hh-${String(i).padStart(3, '0')}`,
      form_id: 'household-survey',
      form_version: 1,
      org_code: county.code,
      org_path: `/510000/${county.city.code}/${county.code}/`,
      status: 'submitted',
      data: JSON.stringify(h),
      version: 1 + (i % 3),
      period: null,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
  });
  await t.db.insertInto('submissions').values(rows).execute();
  return rows.map((r) => r.id);
}

describe.each(dialects())('decisions as of a date on $name', (dialect) => {
  let t: TestDatabase;
  let service: RulesService;
  let ids: string[];
  const households = makeHouseholds(N, 20210630);

  beforeAll(async () => {
    t = await dialect.open();
    await migratePlugins(t.db, { migrations: [{ pluginName: 'rules', migrations: RULES_MIGRATIONS }] });
    service = createRulesService({
      rulesets: loadRulesetsDir(BUILTIN_RULESETS_DIR),
      source: createDbParameterSource(t.db),
    });
    for (const r of demoRecords()) await setParameter(t.db, r, { actor: null }, service.catalog);
    ids = await insertProvince(t, households);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('records the date, the submission version, the ruleset version and each parameter with its series and row id', async () => {
    const r = await decideAsOf(t.db, service, {
      rulesetId: RULESET,
      submissionId: 'hh-001',
      asOf: '2021-06-30',
      store: true,
    });
    if (r.status !== 'decided' || !r.stored) throw new Error(`not decided: ${r.status}`);
    expect(r.stored).toMatchObject({
      asOf: '2021-06-30',
      subject: { type: 'submission', id: 'hh-001', version: 2 },
    });
    expect(r.stored.rulesetVersion).toBe(2);
    const rows = await listStoredParameters(t.db, { name: 'dibao_standard' });
    const standard = r.stored.parameters.standard as {
      id?: string;
      series: string;
      value: number;
      validFrom: string;
    };
    const row = rows.find((p) => p.id === standard.id);
    // The row used is the one in force on 2021-06-30: the 2020 value, not the 2021-07-01 raise.
    expect(row).toMatchObject({ value: standard.value, validFrom: '2020-01-01' });
    expect(standard.series).toBe(`dibao_standard@${row?.orgCode}/${row?.area ?? 'both'}`);
    // The typed columns say the same as the outputs.
    const typed = await rulesDb(t.db)
      .selectFrom('rule_decisions')
      .select(['as_of', 'subject_version', 'in_roster', 'entitlement_fen', 'per_capita_fen'])
      .where('id', '=', r.stored.id)
      .executeTakeFirstOrThrow();
    expect(typed).toMatchObject({
      as_of: '2021-06-30',
      subject_version: 2,
      in_roster: r.decision.outputs.inRoster ? 1 : 0,
      entitlement_fen: Math.round(Number(r.decision.outputs.entitlement) * 100),
      per_capita_fen: Math.round(Number(r.decision.outputs.perCapitaMonthlyIncome) * 100),
    });
  });

  it('deciding the same inputs as of the same date again gives the same result, after a later standard is added too', async () => {
    const decideAll = async (asOf: string) => {
      const out = new Map<string, unknown>();
      for (const id of ids) {
        const r = await decideAsOf(t.db, service, {
          rulesetId: RULESET,
          submissionId: id,
          asOf,
          store: true,
        });
        if (r.status !== 'decided') throw new Error(`${id}: ${r.status}`);
        out.set(id, {
          outputs: r.decision.outputs,
          parameters: r.decision.parameters,
          facts: r.decision.facts,
        });
      }
      return out;
    };
    const first = await decideAll('2021-06-30');
    const inRoster = [...first.values()].filter(
      (d) => (d as { outputs: { inRoster: boolean } }).outputs.inRoster,
    ).length;
    // A generated province has families on the roster and off it: the comparison means something.
    expect(inRoster).toBeGreaterThan(0);
    expect(inRoster).toBeLessThan(N);

    // The province raises the rural standard from 2021-09-01: June's decisions do not move.
    await setParameter(
      t.db,
      { name: 'dibao_standard', orgCode: '510000', area: 'rural', validFrom: '2021-09-01', value: 600 },
      { actor: null },
      service.catalog,
    );
    expect(await decideAll('2021-06-30')).toEqual(first);
    const september = await decideAll('2021-09-30');
    expect(september).not.toEqual(first);

    // The decision in force on a date is the stored one dated on or before it (one query per subject).
    for (const id of ids.slice(0, 10)) {
      const june = await decisionInForce(t.db, { rulesetId: RULESET, subjectId: id, asOf: '2021-07-15' });
      expect(june?.asOf).toBe('2021-06-30');
      expect({
        outputs: june?.outputs,
        parameters: june?.parameters,
        facts: june?.explanation.facts,
      }).toEqual(first.get(id));
      const later = await decisionInForce(t.db, { rulesetId: RULESET, subjectId: id, asOf: '2022-01-01' });
      expect(later?.asOf).toBe('2021-09-30');
    }
    const before = await decisionInForce(t.db, {
      rulesetId: RULESET,
      subjectId: ids[0] as string,
      asOf: '2021-06-29',
    });
    expect(before).toBeUndefined();
    // Lists read the same: the outputs in force per submission on a date.
    const listed = await latestOutputs(t.db, ids, RULESET, '2021-07-15');
    expect(listed.size).toBe(N);
    for (const [id, outputs] of listed)
      expect(outputs).toEqual((first.get(id) as { outputs: unknown }).outputs);
  });

  it('a survey dated after the date is not known as of it', async () => {
    const r = await decideAsOf(t.db, service, {
      rulesetId: RULESET,
      submissionId: 'hh-002',
      asOf: '2021-04-30',
    });
    expect(r).toMatchObject({ status: 'not-known', factsDate: households[2]?.surveyDate });
  });
});
