import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../engine/index.ts';
import type { EffectContext } from '../../../engine/workflow/effects.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { createRulesPlugin } from '../../../plugins/rules/index.ts';
import { createMemoryParameterSource } from '../../../plugins/rules/parameters.ts';
import { household, PINGCHANG_VILLAGE } from './fixtures.ts';

const ctx = (data: Record<string, unknown>, params?: Record<string, unknown>): EffectContext => ({
  submission: { id: 's-9', orgUnit: PINGCHANG_VILLAGE, data },
  instance: {
    state: 'review',
    submitterId: 'u',
    submitterOrg: PINGCHANG_VILLAGE,
    caseOrgPath: ['510000', '511900', '511923', '511923101', PINGCHANG_VILLAGE],
    approvals: [],
    enteredAt: '2021-08-01T00:00:00Z',
  },
  actor: undefined,
  input: {},
  now: '2021-08-01T00:00:00Z',
  ...(params ? { params } : {}),
});

describe('rules plugin', () => {
  it('loads as a built-in and registers the rules.evaluate effect', async () => {
    const loaded = await loadPlugins(
      { plugins: ['rules'] },
      { engineVersion: '0.1.0', builtins: builtinPlugins },
    );
    expect(loaded.plugins.map((p) => p.name)).toEqual(['rules']);
    const out = await loaded.effects
      .get('rules.evaluate')!
      .run(ctx(household({ perCapita: 480, area: 'rural' })));
    // Without a store (no ctx.db) the decision is made from the config's file and not stored.
    expect(out).toEqual({
      inRoster: false,
      hardshipType: null,
      dibaoCandidate: true,
      entitlement: 30,
      perCapitaMonthlyIncome: 480,
      ruleset: 'household-eligibility',
      asOf: '2021-08-01',
    });
  });

  it('reads parameters from an injected source, so a change applies at once', async () => {
    const source = createMemoryParameterSource([
      { name: 'dibao_standard', orgCode: '510000', area: 'rural', validFrom: '2021-01-01', value: 470 },
    ]);
    const plugin = createRulesPlugin({ source });
    await loadPlugins({ plugins: ['rules'] }, { engineVersion: '0.1.0', builtins: { rules: plugin } });
    const svc = plugin.service()!;
    const data = household({ perCapita: 480, area: 'rural' });
    const asOf = '2021-08-01';
    expect(
      (await svc.evaluate('household-eligibility', data, { orgCode: PINGCHANG_VILLAGE, asOf })).outputs
        .inRoster,
    ).toBe(true);
    source.set({
      name: 'dibao_standard',
      orgCode: '511923',
      area: 'rural',
      validFrom: '2021-07-01',
      value: 500,
    });
    expect(
      (await svc.evaluate('household-eligibility', data, { orgCode: PINGCHANG_VILLAGE, asOf })).outputs
        .entitlement,
    ).toBe(60);
    await expect(svc.evaluate('nope', data, { orgCode: PINGCHANG_VILLAGE, asOf })).rejects.toMatchObject({
      code: 'NX_ERR_RULES_NOT_FOUND',
    });
  });

  it('stops start-up when a ruleset in its folder is broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-rulesets-'));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ id: 'broken', version: 1 }));
    await expect(
      loadPlugins(
        { plugins: [{ use: 'rules', config: { rulesetsDir: dir } }] },
        { engineVersion: '0.1.0', builtins: { rules: createRulesPlugin() } },
      ),
    ).rejects.toMatchObject({
      code: 'NX_ERR_PLUGIN_SETUP_FAILED',
      message: expect.stringContaining('"rules"'),
    });
  });

  it('mounts its routes as the /api/parameters, /api/rules and /api/monitoring areas and brings its own tables', async () => {
    const loaded = await loadPlugins(
      { plugins: ['rules'] },
      { engineVersion: '0.1.0', builtins: builtinPlugins },
    );
    expect(loaded.routes.map((r) => r.prefix).sort()).toEqual([
      '/api/monitoring',
      '/api/parameters',
      '/api/rules',
    ]);
    expect(loaded.migrations).toEqual([
      {
        pluginName: 'rules',
        migrations: {
          '001_tables': expect.anything(),
          '002_parameter_history': expect.anything(),
          '003_dated_decisions': expect.anything(),
          '004_monitoring': expect.anything(),
        },
      },
    ]);
    expect(loaded.seeds.map((s) => `${s.pluginName}/${s.seed.name}`)).toEqual(['rules/demo-parameters']);
  });
});
