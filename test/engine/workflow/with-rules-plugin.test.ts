import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION, loadPlugins } from '../../../engine/index.ts';
import { compileWorkflow } from '../../../engine/workflow/compile-workflow.ts';
import { loadWorkflow } from '../../../engine/workflow/load-workflow.ts';
import { runEffects } from '../../../engine/workflow/run-effects.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { household } from '../../plugins/rules/fixtures.ts';
import { instance, ORG, people, readJson, shippedForms } from './fixtures.ts';
import { CaseWalk } from './walk.ts';

describe('the survey approval fixture with the real rules plugin', () => {
  it('loads once the plugin registered rules.evaluate, and the check step records its decision', async () => {
    const loaded = await loadPlugins(
      { plugins: ['rules'] },
      { engineVersion: ENGINE_VERSION, builtins: builtinPlugins },
    );
    const r = loadWorkflow(readJson('test/fixtures/workflows/assistance-application.json'), {
      effects: loaded.effects,
      forms: shippedForms(),
      operations: loaded.operations,
    });
    expect(r.problems).toEqual([]);
    if (!r.ok) return;
    const wf = compileWorkflow(r.value);
    const data = {
      ...household({ perCapita: 300, area: 'rural' }),
      householdSignature: 'signed',
      surveyorName: '李四',
    };
    const c = new CaseWalk(wf, instance(), data);
    c.act(people.fieldStaff, 'submit');
    c.act(people.townshipReviewer, 'approve');
    const check = c.act(people.countyReviewer, 'check');
    const [outcome] = await runEffects(loaded.effects, check.effects, {
      submission: { data, orgUnit: ORG.village },
      instance: c.inst,
      actor: people.countyReviewer,
      input: check.record.input,
      now: c.now,
    });
    expect(outcome?.name).toBe('rules.evaluate');
    // The effect's output is the decision's summary (the full decision goes to rule_decisions).
    expect(outcome?.output).toHaveProperty('dibaoCandidate', true);
  });
});
