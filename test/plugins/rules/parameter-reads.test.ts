import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../../engine/plugin/engine-version.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { migratePlugins } from '../../../engine/plugin/migrate-plugins.ts';
import { migrateToLatest } from '../../../engine/store/migrate.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { createMemoryParameterSource } from '../../../plugins/rules/parameters.ts';
import { createRulesService } from '../../../plugins/rules/service.ts';
import {
  createDbParameterSource,
  listStoredParameters,
  setParameter,
  withdrawParameter,
} from '../../../plugins/rules/store/db-parameters.ts';
import { countingDatabase } from '../../helpers/statement-counter.ts';
import { demoRecords, eligibility, household, PINGCHANG_VILLAGE } from './fixtures.ts';

const PINGCHANG = '511923';
/** Another county of 巴中市: its standards must not reach 平昌. */
const BAZHOU = '511902';

describe('a decision reads the standards it uses in one statement', () => {
  let dir: string;
  let store: ReturnType<typeof countingDatabase>;
  const compiled = eligibility();
  const rulesOver = (source: Parameters<typeof createRulesService>[0]['source']) =>
    createRulesService({ rulesets: [compiled], source });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-params-'));
    store = countingDatabase(join(dir, 'params.db'));
    const loaded = await loadPlugins(
      { plugins: ['rules'] },
      { engineVersion: ENGINE_VERSION, builtins: builtinPlugins },
    );
    await migrateToLatest(store.db);
    await migratePlugins(store.db, loaded);
    const catalog = rulesOver(createMemoryParameterSource()).catalog;
    const set = (r: Parameters<typeof setParameter>[1]) =>
      setParameter(store.db, r, { actor: null }, catalog);
    for (const r of demoRecords().filter((d) => compiled.parameterNames.includes(d.name))) await set(r);
    // What the one read must leave out or get right: a sibling county's standard, a raise after
    // the decision's date, a value superseded on its own date, and a withdrawn one.
    await set({
      name: 'dibao_standard',
      orgCode: BAZHOU,
      area: 'rural',
      validFrom: '2021-01-01',
      value: 999,
    });
    await set({
      name: 'dibao_standard',
      orgCode: PINGCHANG,
      area: 'rural',
      validFrom: '2022-01-01',
      value: 520,
    });
    await set({
      name: 'marginal_factor',
      orgCode: PINGCHANG,
      area: null,
      validFrom: '2021-01-01',
      value: 1.6,
    });
    await set({
      name: 'marginal_factor',
      orgCode: PINGCHANG,
      area: null,
      validFrom: '2021-01-01',
      value: 1.7,
    });
    await set({
      name: 'asset_deposit_months',
      orgCode: PINGCHANG,
      area: null,
      validFrom: '2021-01-01',
      value: 36,
    });
    await withdrawParameter(
      store.db,
      { name: 'asset_deposit_months', orgCode: PINGCHANG, area: null, validFrom: '2021-01-01' },
      { actor: null },
    );
  });
  afterAll(async () => {
    await store?.db.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['2021-06-30', 'rural'],
    ['2021-12-31', 'rural'],
    ['2022-03-01', 'rural'],
    ['2021-12-31', 'urban'],
  ] as const)(
    'as of %s (%s, a village of 平昌): one select, the values resolution over every row gives',
    async (asOf, area) => {
      const data = household({ perCapita: 500, area });
      // The same decision over every stored row, per series, as `list` reads them.
      const everything = createMemoryParameterSource(
        (await listStoredParameters(store.db)).map(({ name, orgCode, area: a, validFrom, value }) => ({
          name,
          orgCode,
          area: a,
          validFrom,
          value,
        })),
      );
      const expected = await rulesOver(everything).evaluate('household-eligibility', data, {
        orgCode: PINGCHANG_VILLAGE,
        asOf,
      });
      store.reset();
      const decision = await rulesOver(createDbParameterSource(store.db)).evaluate(
        'household-eligibility',
        data,
        {
          orgCode: PINGCHANG_VILLAGE,
          asOf,
        },
      );
      const statements = store.recorded();
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/^select .* from "rule_parameters" where "name" in/);
      expect(decision.outputs).toEqual(expected.outputs);
      // The values applied and where they are set (the stored row's id aside: the file has none).
      const values = (d: typeof decision) =>
        Object.fromEntries(
          Object.entries(d.parameters).map(([k, p]) => {
            const { id: _id, ...rest } = p as typeof p & { id?: string };
            return [k, rest];
          }),
        );
      expect(values(decision)).toEqual(values(expected));
      // The county's overrides did apply (else the comparison could pass with the province's alone).
      const used = JSON.stringify(values(decision));
      expect(used).toContain(`marginal_factor@${PINGCHANG}/both`);
      expect(used).not.toContain(BAZHOU);
    },
  );
});
