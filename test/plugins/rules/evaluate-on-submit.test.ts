import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../engine/index.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { createRulesPlugin } from '../../../plugins/rules/index.ts';
import { createMemoryParameterSource } from '../../../plugins/rules/parameters.ts';
import { householdData } from '../../engine/workflow-store/setup.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const survey = JSON.parse(
  readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8'),
) as FormDefinition;

// Standards for 巴中市 only: a survey filed in 成都 finds none.
const source = createMemoryParameterSource(
  (['urban', 'rural'] as const).flatMap((area) => [
    {
      name: 'dibao_standard',
      orgCode: '511900',
      area,
      validFrom: '2020-01-01',
      value: area === 'rural' ? 490 : 680,
    },
  ]),
);

describe.each(dialects())('rules evaluateOnSubmit on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const warnings: string[] = [];
  beforeAll(async () => {
    t = await dialect.open();
    const loaded = await loadPlugins(
      {
        plugins: [
          {
            use: 'rules',
            config: { evaluateOnSubmit: [{ form: 'household-survey', ruleset: 'household-eligibility' }] },
          },
        ],
      },
      {
        engineVersion: '0.1.0',
        builtins: { ...builtinPlugins, rules: createRulesPlugin({ source }) },
        logger: {
          debug: () => {},
          info: () => {},
          warn: (msg: string) => warnings.push(msg),
          error: () => {},
        },
      },
    );
    a = await testApp(t, { ...pluginAppOptions(loaded), form: survey });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const decisionsOf = (id: string) =>
    t.db
      .selectFrom('rule_decisions' as never)
      .select(['ruleset_id', 'outputs', 'org_code'] as never)
      .where('submission_id' as never, '=', id as never)
      .execute() as Promise<{ ruleset_id: string; outputs: string; org_code: string }[]>;

  const submit = async (user: 'pingchangStaff' | 'chengduStaff', status: 'draft' | 'submitted') => {
    const r = await a.call(user, 'POST', '/api/forms/household-survey/submissions', {
      data: householdData(),
      status,
    });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  };

  it('stores a decision with the submission when it is submitted', async () => {
    const id = await submit('pingchangStaff', 'submitted');
    const rows = await decisionsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ruleset_id).toBe('household-eligibility');
    expect(rows[0]?.org_code).toBe('511923');
    expect(JSON.parse(rows[0]?.outputs as string)).toHaveProperty('inRoster');
    // Dated by the survey date (the standards in force that day), with the version decided.
    const dated = (await t.db
      .selectFrom('rule_decisions' as never)
      .select(['as_of', 'subject_type', 'subject_id', 'subject_version'] as never)
      .where('submission_id' as never, '=', id as never)
      .executeTakeFirstOrThrow()) as { as_of: string; subject_id: string; subject_version: number };
    expect(dated).toEqual({
      as_of: householdData().surveyDate,
      subject_type: 'submission',
      subject_id: id,
      subject_version: 1,
    });
  });

  it('leaves drafts alone', async () => {
    const id = await submit('pingchangStaff', 'draft');
    expect(await decisionsOf(id)).toHaveLength(0);
  });

  it('still stores the survey when no standard applies, without a decision', async () => {
    const id = await submit('chengduStaff', 'submitted');
    expect(await decisionsOf(id)).toHaveLength(0);
    const logged = warnings.filter((w) => w.includes('not evaluated on submit')).length;
    expect(logged).toBe(1);
    // The same unit and reason again: not logged a second time (an import would repeat it per row).
    await submit('chengduStaff', 'submitted');
    expect(warnings.filter((w) => w.includes('not evaluated on submit')).length).toBe(logged);
    const r = await a.call('chengduStaff', 'GET', `/api/submissions/${id}`);
    expect(r.statusCode).toBe(200);
  });
});

describe('rules evaluateOnSubmit configuration', () => {
  it('refuses a ruleset that is not loaded, naming it', async () => {
    await expect(
      loadPlugins(
        {
          plugins: [
            {
              use: 'rules',
              config: { evaluateOnSubmit: [{ form: 'household-survey', ruleset: 'no-such' }] },
            },
          ],
        },
        { engineVersion: '0.1.0', builtins: builtinPlugins },
      ),
    ).rejects.toThrow(/no-such/);
  });
});
