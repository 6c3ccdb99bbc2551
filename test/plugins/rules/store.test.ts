import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../engine/entry/server.ts';
import { loadPlugins } from '../../../engine/index.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import type { EffectContext } from '../../../engine/workflow/effects.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { latestDecisions, rulesDb } from '../../../plugins/rules/index.ts';
import { runMain } from '../../cli/run-main.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { household } from './fixtures.ts';

const VILLAGE = '511923102201';
const VILLAGE_PATH = '/510000/511900/511923/511923102/511923102201/';
const BAZHOU = '511902';
const BAZHOU_PATH = '/510000/511900/511902/';

type Json = Record<string, unknown>;

/** A household-survey row written straight to the store (the rules read submissions, whoever wrote them). */
async function insertSurvey(t: TestDatabase, id: string, orgCode: string, orgPath: string, data: Json) {
  const now = new Date().toISOString();
  await t.db
    .insertInto('submissions')
    .values({
      id,
      form_id: 'household-survey',
      form_version: 1,
      org_code: orgCode,
      org_path: orgPath,
      status: 'submitted',
      data: JSON.stringify(data),
      version: 1,
      period: null,
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
}

describe.each(dialects())('rules plugin in the store on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let loaded: Awaited<ReturnType<typeof loadPlugins>>;

  const put = async (user: string, name: string, body: Json, query = '') => {
    const r = await a.app.inject({
      method: 'PUT',
      url: `/api/parameters/${name}${query}`,
      headers: { authorization: `Bearer ${await a.token(user)}` },
      payload: body,
    });
    return { statusCode: r.statusCode, json: () => r.json() as Json, body: r.body };
  };
  const evaluate = async (user: string, body: Json) => {
    const r = await a.call(user, 'POST', '/api/rules/household-eligibility/evaluate', body);
    return { statusCode: r.statusCode, json: () => r.json() as Json & { outputs: Json }, body: r.body };
  };

  beforeAll(async () => {
    t = await dialect.open();
    loaded = await loadPlugins({ plugins: ['rules'] }, { engineVersion: '0.1.0', builtins: builtinPlugins });
    a = await testApp(t, pluginAppOptions(loaded));
    // The province's rural and urban standards, raised on 2021-07-01.
    for (const [area, validFrom, value] of [
      ['rural', '2020-01-01', 430],
      ['rural', '2021-07-01', 470],
      ['urban', '2020-01-01', 610],
      ['urban', '2021-07-01', 650],
    ] as const) {
      const r = await put('admin', 'dibao_standard', { orgCode: '510000', area, validFrom, value });
      expect(r.statusCode, r.body).toBe(201);
    }
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  it('PUT /api/parameters/:name: admin only, within the subtree; a value for the same date supersedes the old row (kept), audited', async () => {
    const body = { orgCode: '511923', area: 'rural', validFrom: '2021-07-01', value: 480 };
    expect((await put('pingchangStaff', 'dibao_standard', body)).statusCode).toBe(403);
    // 成都 lies outside 巴中's subtree: the same 404 as a unit that does not exist.
    expect((await put('bazhongAdmin', 'dibao_standard', { ...body, orgCode: '510104' })).statusCode).toBe(
      404,
    );
    expect((await put('bazhongAdmin', 'dibao_standard', { ...body, orgCode: '519999' })).statusCode).toBe(
      404,
    );
    expect((await put('bazhongAdmin', 'dibao_standard', { ...body, value: 'x' })).statusCode).toBe(400);

    const first = await put('bazhongAdmin', 'dibao_standard', body);
    expect(first.statusCode, first.body).toBe(201);
    const second = await put('bazhongAdmin', 'dibao_standard', { ...body, value: 490, note: '县政府文件' });
    expect(second.statusCode).toBe(200);
    const id = (first.json().parameter as { id: string }).id;
    expect(second.json()).toMatchObject({
      created: false,
      previousValue: 480,
      supersedes: id,
      parameter: { value: 490, note: '县政府文件' },
    });
    const newId = (second.json().parameter as { id: string }).id;
    expect(newId).not.toBe(id);

    expect((await listAudit(t.db, 'rule_parameter', id)).map((e) => e.action)).toEqual([
      'rule_parameter.create',
    ]);
    const audit = await listAudit(t.db, 'rule_parameter', newId);
    expect(audit.map((e) => e.action)).toEqual(['rule_parameter.supersede']);
    expect(audit[0]?.diff).toMatchObject({ before: { value: 480, id }, after: { value: 490, id: newId } });
    expect(audit[0]?.actor).not.toBeNull();
    // The old row is history, not gone: both are listed, oldest first.
    const history = (
      await a.call('bazhongAdmin', 'GET', '/api/parameters/dibao_standard/history?orgCode=511923')
    ).json() as { items: { id: string; value: number }[] };
    expect(history.items.map((i) => [i.id, i.value])).toEqual([
      [id, 480],
      [newId, 490],
    ]);
  });

  it('refuses an undeclared name (with "did you mean"), a negative standard and a level the declaration does not allow, with pointers; stores nothing', async () => {
    const count = async () =>
      Number(
        (
          await rulesDb(t.db)
            .selectFrom('rule_parameters')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const typo = await put('admin', 'dibao_standerd', {
      orgCode: '510000',
      validFrom: '2021-07-01',
      value: 650,
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({
      code: 'NX_ERR_RULES_UNDECLARED_PARAMETER',
      errors: [{ path: '/params/name', params: { suggestion: 'dibao_standard' } }],
    });
    expect(JSON.stringify(typo.json())).toContain('did you mean \\"dibao_standard\\"');
    const negative = await put('admin', 'dibao_standard', {
      orgCode: '510000',
      validFrom: '2021-07-01',
      value: -5,
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({
      code: 'NX_ERR_RULES_PARAMETER_OUT_OF_RANGE',
      errors: [{ path: '/body/value', params: { minimum: 1 } }],
    });
    const fen = await put('admin', 'dibao_standard', {
      orgCode: '510000',
      validFrom: '2021-07-01',
      value: 650.005,
    });
    expect(fen.json()).toMatchObject({ errors: [{ path: '/body/value' }] });
    // A village does not set the 低保标准 (the declaration lists province, city and county).
    const village = await put('admin', 'dibao_standard', {
      orgCode: VILLAGE,
      validFrom: '2021-07-01',
      value: 700,
    });
    expect(village.json()).toMatchObject({
      code: 'NX_ERR_RULES_PARAMETER_NOT_ALLOWED',
      errors: [{ path: '/body/orgCode' }],
    });
    // The same refusal on the dry run: a preview of a value that cannot be saved is not offered.
    const dry = await put(
      'admin',
      'dibao_standard',
      {
        orgCode: '510000',
        validFrom: '2021-07-01',
        value: -5,
      },
      '?dryRun=true',
    );
    expect(dry.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('GET /api/parameters/:name resolves through the nearest unit, from the effective date only', async () => {
    const at = async (asOf: string, area: string) =>
      (
        await a.call(
          'pingchangStaff',
          'GET',
          `/api/parameters/dibao_standard?orgCode=${VILLAGE}&area=${area}&asOf=${asOf}`,
        )
      ).json() as { resolved: { value: number; orgCode: string } };
    expect((await at('2021-06-30', 'rural')).resolved).toMatchObject({ value: 430, orgCode: '510000' });
    expect((await at('2021-07-01', 'rural')).resolved).toMatchObject({ value: 490, orgCode: '511923' });
    expect((await at('2021-07-01', 'urban')).resolved).toMatchObject({ value: 650, orgCode: '510000' });
    const outside = await a.call('pingchangStaff', 'GET', '/api/parameters/dibao_standard?orgCode=510104');
    expect(outside.statusCode).toBe(404);
  });

  it('GET /api/parameters lists what applies above and below the caller, not a sibling city', async () => {
    expect(
      (await put('admin', 'dibao_standard', { orgCode: '510100', validFrom: '2021-07-01', value: 960 }))
        .statusCode,
    ).toBe(201);
    const mine = (await a.call('pingchangStaff', 'GET', '/api/parameters?name=dibao_standard')).json() as {
      items: { orgCode: string }[];
    };
    const orgs = new Set(mine.items.map((i) => i.orgCode));
    expect(orgs).toEqual(new Set(['510000', '511923']));
    const all = (await a.call('admin', 'GET', '/api/parameters?area=both')).json() as {
      items: { orgCode: string; area: string | null }[];
    };
    expect(all.items).toEqual([expect.objectContaining({ orgCode: '510100', area: null })]);
  });

  it('nuanxin params set/list write to the same table, audited, and the API sees the value at once', async () => {
    const set = await runMain([
      'params',
      'set',
      'dibao_standard',
      '500',
      '--org',
      BAZHOU,
      '--from',
      '2021-07-01',
      '--area',
      'rural',
      '--by',
      'bazhongAdmin',
      '--db',
      t.url,
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('dibao_standard = 500');
    const bad = await runMain([
      'params',
      'set',
      'dibao_standard',
      'abc',
      '--org',
      BAZHOU,
      '--from',
      '2021-07-01',
      '--db',
      t.url,
    ]);
    expect(bad.code).toBe(1);
    const unknown = await runMain([
      'params',
      'set',
      'dibao_standard',
      '1',
      '--org',
      '519999',
      '--from',
      '2021-07-01',
      '--db',
      t.url,
    ]);
    expect(unknown.code).toBe(1);

    const list = await runMain(['params', 'list', '--json', '--org', BAZHOU, '--db', t.url]);
    expect(list.code, list.stderr).toBe(0);
    const items = (JSON.parse(list.stdout) as { items: { id: string; value: number; area: string }[] }).items;
    expect(items).toMatchObject([{ value: 500, area: 'rural' }]);
    const audit = await listAudit(t.db, 'rule_parameter', items[0]!.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).not.toBeNull();

    const r = (
      await a.call('bazhouStaff', 'GET', `/api/parameters/dibao_standard?area=rural&asOf=2021-08-01`)
    ).json() as {
      resolved: { value: number; orgCode: string };
    };
    expect(r.resolved).toMatchObject({ value: 500, orgCode: BAZHOU });
  });

  it('a change is previewed before it is saved (roster, hardship type, entitlement, monthly cost in the subtree) and can be withdrawn', async () => {
    const CHENGDU = '510104';
    const CHENGDU_PATH = '/510000/510100/510104/';
    expect(
      (await put('admin', 'dibao_standard', { orgCode: '510100', validFrom: '2021-07-01', value: 960 }))
        .statusCode,
    ).toBeLessThan(300);
    // Under 960: 950 is a dibao candidate (30 yuan for 3 persons), 1000 is on the roster, 1500 is above 1.5×.
    for (const [i, perCapita] of [950, 1000, 1500].entries())
      await insertSurvey(
        t,
        `hh-cd-${i}`,
        CHENGDU,
        CHENGDU_PATH,
        household({ perCapita, area: 'urban', size: 3 }),
      );
    const change = { orgCode: CHENGDU, validFrom: '2021-08-01', value: 1010 };
    const expected = {
      ruleset: 'household-eligibility',
      asOf: '2021-08-01',
      households: 3,
      rosterJoined: 1, // 1500 < 1.5 × 1010
      rosterLeft: 1, // 1000 ≤ 1010: now a dibao candidate
      hardshipTypeChanged: 0,
      entitlementChanged: 2,
      costBefore: 30,
      costAfter: 180 + 30,
      costChange: 180,
    };
    const dry = await put('admin', 'dibao_standard', change, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, preview: [expected] });
    const resolvedOn = async () =>
      (
        (
          await a.call(
            'admin',
            'GET',
            `/api/parameters/dibao_standard?orgCode=${CHENGDU}&area=urban&asOf=2021-08-01`,
          )
        ).json() as { resolved: { value: number } }
      ).resolved.value;
    expect(await resolvedOn()).toBe(960);

    const cliDry = await runMain([
      'params',
      'set',
      'dibao_standard',
      '1010',
      '--org',
      CHENGDU,
      '--from',
      '2021-08-01',
      '--dry-run',
      '--db',
      t.url,
    ]);
    expect(cliDry.code, cliDry.stderr).toBe(0);
    expect(cliDry.stdout).toContain('join the roster: 1; 退出名册 / leave it: 1');
    expect(cliDry.stdout).toContain('30 → 210 (+180)');
    expect(cliDry.stdout).toContain('nothing saved');
    expect(await resolvedOn()).toBe(960);
    const cliTypo = await runMain([
      'params',
      'set',
      'dibao_standerd',
      '1010',
      '--org',
      CHENGDU,
      '--from',
      '2021-08-01',
      '--db',
      t.url,
    ]);
    expect(cliTypo.code).toBe(1);
    expect(cliTypo.stderr).toContain('NX_ERR_RULES_UNDECLARED_PARAMETER');
    expect(cliTypo.stderr).toContain('did you mean "dibao_standard"');
    expect(cliTypo.stderr).toContain('/name');

    const saved = await put('admin', 'dibao_standard', change);
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ preview: [expected] });
    expect(await resolvedOn()).toBe(1010);

    const withdraw = await a.call('admin', 'POST', '/api/parameters/dibao_standard/withdraw', {
      orgCode: CHENGDU,
      validFrom: '2021-08-01',
      note: '录入错误',
    });
    expect(withdraw.statusCode, withdraw.body).toBe(200);
    expect(await resolvedOn()).toBe(960);
    const withdrawnId = (withdraw.json() as { withdrawn: { id: string } }).withdrawn.id;
    const audit = await listAudit(t.db, 'rule_parameter', withdrawnId);
    expect(audit.map((e) => e.action)).toEqual(['rule_parameter.withdraw']);
    expect(audit[0]?.diff).toMatchObject({ before: { value: 1010 }, after: { withdrawn: true } });
    const again = await a.call('admin', 'POST', '/api/parameters/dibao_standard/withdraw', {
      orgCode: CHENGDU,
      validFrom: '2021-08-01',
    });
    expect(again.statusCode).toBe(404);
    // The withdrawn value leaves the list of current values; a field worker cannot withdraw.
    const listed = (
      await a.call('admin', 'GET', `/api/parameters?name=dibao_standard&orgCode=${CHENGDU}`)
    ).json() as {
      items: unknown[];
    };
    expect(listed.items).toEqual([]);
    const staff = await a.call('chengduStaff', 'POST', '/api/parameters/dibao_standard/withdraw', {
      orgCode: CHENGDU,
      validFrom: '2021-07-01',
    });
    expect(staff.statusCode).toBe(403);
    await t.db.deleteFrom('submissions').where('id', 'like', 'hh-cd-%').execute();
  });

  it('refuses an impossible asOf date with 400 and a pointer, never 500', async () => {
    for (const asOf of ['2021-02-30', '2021-13-01', '2021-04-31']) {
      const r = await a.call('bazhouStaff', 'GET', `/api/parameters/dibao_standard?area=rural&asOf=${asOf}`);
      expect(r.statusCode, asOf).toBe(400);
      const body = r.json() as { code: string; errors: { path: string }[] };
      expect(body.code).toBe('NX_ERR_HTTP_BAD_REQUEST');
      expect(body.errors.map((e) => e.path)).toContain('/querystring/asOf');
    }
  });

  it('evaluates a stored submission by id (404 outside the subtree) and given data', async () => {
    await insertSurvey(t, 'hh-eval', VILLAGE, VILLAGE_PATH, household({ perCapita: 480, area: 'rural' }));
    const mine = await evaluate('pingchangStaff', { submissionId: 'hh-eval', asOf: '2021-08-01' });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().outputs).toMatchObject({ dibaoCandidate: true, entitlement: 30 });
    expect(mine.json().parameters).toMatchObject({ standard: { value: 490, orgCode: '511923' } });
    // Before the county's raise the province's 430 applies: 480 is then above it.
    const before = await evaluate('pingchangStaff', { submissionId: 'hh-eval', asOf: '2021-06-01' });
    expect(before.json().outputs).toMatchObject({ dibaoCandidate: false, inRoster: true });

    expect((await evaluate('bazhouStaff', { submissionId: 'hh-eval' })).statusCode).toBe(404);
    expect((await evaluate('pingchangStaff', { submissionId: 'nope' })).statusCode).toBe(404);

    const data = household({ perCapita: 480, area: 'rural' });
    const byData = await evaluate('pingchangStaff', {
      formId: 'household-survey',
      data,
      orgCode: VILLAGE,
      asOf: '2021-08-01',
    });
    expect(byData.statusCode, byData.body).toBe(200);
    expect(byData.json().outputs).toEqual(mine.json().outputs);
    const wrongForm = await evaluate('pingchangStaff', { formId: 'visit-statistics', data });
    expect(wrongForm.statusCode).toBe(400);
    const elsewhere = await evaluate('pingchangStaff', {
      formId: 'household-survey',
      data,
      orgCode: '510104',
    });
    expect(elsewhere.statusCode).toBe(404);
    const missing = await a.call('pingchangStaff', 'POST', '/api/rules/nope/evaluate', { formId: 'x', data });
    expect(missing.statusCode).toBe(404);
  });

  it('what-if over the stored households: totals are the sums of individual decisions, before and after', async () => {
    const specs = [
      [BAZHOU, BAZHOU_PATH, 480, 'rural'],
      [BAZHOU, BAZHOU_PATH, 505, 'rural'],
      [BAZHOU, BAZHOU_PATH, 700, 'rural'],
      [BAZHOU, BAZHOU_PATH, 640, 'urban'],
      [BAZHOU, BAZHOU_PATH, 900, 'urban'],
      [VILLAGE, VILLAGE_PATH, 300, 'rural'],
      [VILLAGE, VILLAGE_PATH, 520, 'rural'],
    ] as const;
    const ids: string[] = [];
    for (const [i, [org, path, perCapita, area]] of specs.entries()) {
      ids.push(`hh-wi-${i}`);
      await insertSurvey(t, `hh-wi-${i}`, org, path, household({ perCapita, area, size: 2 + (i % 3) }));
    }
    const asOf = '2021-09-01';
    const sumOfDecisions = async () => {
      let fen = 0;
      for (const id of ['hh-eval', ...ids]) {
        const d = await evaluate('bazhongAdmin', { submissionId: id, asOf });
        expect(d.statusCode, d.body).toBe(200);
        fen += Math.round(Number(d.json().outputs.entitlement ?? 0) * 100);
      }
      return fen / 100;
    };
    const proposed = [{ name: 'dibao_standard', value: 520 }];
    const r = await a.call('bazhongAdmin', 'POST', '/api/rules/household-eligibility/what-if', {
      orgCode: '511900',
      asOf,
      proposed,
    });
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json() as {
      counties: { county: string; households: number; changed: number; costChange: number }[];
      totals: { households: number; changed: number; costBefore: number; costAfter: number };
    };
    expect(report.totals.households).toBe(ids.length + 1);
    expect(report.counties.map((c) => c.county)).toEqual([BAZHOU, '511923']);
    expect(report.totals.costBefore).toBe(await sumOfDecisions());
    // 平昌县 sets its own rural standard, which the city-level proposal does not override.
    expect(report.counties.find((c) => c.county === '511923')).toMatchObject({ changed: 0, costChange: 0 });
    expect(report.totals.changed).toBeGreaterThan(0);

    // Adopt the proposal for real: each family's decision now sums to the what-if's "after".
    for (const area of ['urban', 'rural'])
      expect(
        (
          await put('bazhongAdmin', 'dibao_standard', {
            orgCode: '511900',
            area,
            validFrom: asOf,
            value: 520,
          })
        ).statusCode,
      ).toBe(201);
    expect(report.totals.costAfter).toBe(await sumOfDecisions());

    const outside = await a.call('pingchangStaff', 'POST', '/api/rules/household-eligibility/what-if', {
      orgCode: '511900',
      asOf,
      proposed,
    });
    expect(outside.statusCode).toBe(404);
  });

  it('nuanxin rules what-if --org reads the same households and standards from the database', async () => {
    const asOf = '2021-09-01';
    const api = (
      await a.call('bazhongAdmin', 'POST', '/api/rules/household-eligibility/what-if', {
        orgCode: '511900',
        asOf,
        proposed: [{ name: 'dibao_standard', value: 560, area: 'rural' }],
      })
    ).json() as { totals: unknown; counties: unknown };
    const cli = await runMain([
      'rules',
      'what-if',
      '--org',
      '511900',
      '--param',
      'dibao_standard=560',
      '--area',
      'rural',
      '--date',
      asOf,
      '--json',
      '--db',
      t.url,
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual({ counties: api.counties, totals: api.totals });
  });

  it('the effect rules.evaluate stores its decision in the transition transaction, and nothing when it rolls back', async () => {
    const effect = loaded.effects.get('rules.evaluate')!;
    const ctx = (db: unknown): EffectContext =>
      ({
        submission: { id: 'hh-eval', orgUnit: VILLAGE, data: household({ perCapita: 480, area: 'rural' }) },
        instance: {
          state: 'township_review',
          submitterId: 'u',
          submitterOrg: VILLAGE,
          caseOrgPath: VILLAGE_PATH.split('/').filter(Boolean),
          approvals: [],
          enteredAt: '2021-08-01T00:00:00Z',
        },
        actor: { id: 'reviewer-1', roles: ['reviewer'], orgCode: '511923', orgLevel: 'county' },
        input: {},
        now: '2021-08-01T02:00:00Z',
        params: { ruleset: 'household-eligibility' },
        db,
      }) as EffectContext;
    const count = async () =>
      Number(
        (
          await rulesDb(t.db)
            .selectFrom('rule_decisions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );

    await expect(
      t.db.transaction().execute(async (trx) => {
        await effect.run(ctx(trx));
        expect(
          await rulesDb(trx)
            .selectFrom('rule_decisions')
            .select('id')
            .where('submission_id', '=', 'hh-eval')
            .execute(),
        ).toHaveLength(1);
        throw new Error('the transition failed after its effects');
      }),
    ).rejects.toThrow('the transition failed');
    expect(await count()).toBe(0);

    const out = await t.db.transaction().execute(async (trx) => effect.run(ctx(trx)));
    expect(out).toMatchObject({
      inRoster: false,
      hardshipType: null,
      dibaoCandidate: true,
      entitlement: 30,
      perCapitaMonthlyIncome: 480,
      decisionId: expect.any(String),
    });
    // A standard changed, decided again: the newest decision is the current one.
    expect(
      (
        await put('bazhongAdmin', 'dibao_standard', {
          orgCode: '511923',
          area: 'rural',
          validFrom: '2021-07-01',
          value: 500,
        })
      ).statusCode,
    ).toBe(200);
    const again = await t.db.transaction().execute(async (trx) => effect.run(ctx(trx)));
    expect(again).toMatchObject({ entitlement: 60 });
    const latest = await latestDecisions(t.db, ['hh-eval', 'hh-none'], 'household-eligibility');
    expect([...latest.keys()]).toEqual(['hh-eval']);
    expect(latest.get('hh-eval')).toMatchObject({
      id: (again as { decisionId: string }).decisionId,
      outputs: { entitlement: 60 },
      createdBy: 'reviewer-1',
      asOf: '2021-08-01',
    });
    expect(latest.get('hh-eval')?.explanation.rules.length).toBeGreaterThan(0);
    expect(await count()).toBe(2);
  });
});
