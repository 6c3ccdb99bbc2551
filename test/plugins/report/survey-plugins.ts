import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { createRulesPlugin } from '../../../plugins/rules/index.ts';

type ParameterSource = NonNullable<Parameters<typeof createRulesPlugin>[0]>['source'];

/**
 * The plugins a roster over the households register needs: rules deciding each survey on submit
 * (with the test's own parameters), the registers, and the report plugin.
 */
export function loadSurveyPlugins(source: ParameterSource) {
  return loadPlugins(
    {
      plugins: [
        {
          use: 'rules',
          config: { evaluateOnSubmit: [{ form: 'household-survey', ruleset: 'household-eligibility' }] },
        },
        'registers',
        'report',
      ],
    },
    {
      engineVersion: '0.1.0',
      builtins: { ...builtinPlugins, rules: createRulesPlugin({ source }) },
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    },
  );
}
