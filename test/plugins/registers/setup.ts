import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormDefinition } from '../../../engine/index.ts';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { householdData } from '../../engine/workflow-store/setup.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import type { TestDatabase } from '../../helpers/dialects.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const survey = JSON.parse(
  readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8'),
) as FormDefinition;

/** The village of the test tree, and a second one in the same township (for transfers). */
export const VILLAGE = '511923102201';
export const OTHER_VILLAGE = '511923102202';

/** An ID number whose check character is X (found by trying sequence numbers). */
export function idcardEndingInX(birthDate = '1960-03-15', region = '511923'): string {
  for (let seq = 0; seq < 1000; seq++) {
    const id = makeIdcard({ region, birthDate, seq, sex: 'male' });
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check character in 1000 tries');
}

/** An app with the registers plugin (and `also`) on the real household survey, and a second village. */
export async function registersApp(t: TestDatabase, also: readonly string[] = []): Promise<TestApp> {
  const loaded = await loadPlugins(
    { plugins: ['registers', ...also] },
    {
      engineVersion: '0.1.0',
      builtins: builtinPlugins,
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    },
  );
  const a = await testApp(t, { ...pluginAppOptions(loaded), form: survey });
  await importOrgUnits(t.db, [
    { code: OTHER_VILLAGE, name: '新华村', parent: '511923102', level: 'village' },
  ]);
  return a;
}

/** Submits a household survey in the village; returns the submission id. */
export async function submitSurvey(
  a: TestApp,
  data: Record<string, unknown>,
  opts: {
    user?: 'pingchangStaff' | 'bazhongAdmin' | 'admin';
    orgUnit?: string;
    status?: 'draft' | 'submitted';
  } = {},
): Promise<string> {
  const r = await a.call(opts.user ?? 'pingchangStaff', 'POST', '/api/forms/household-survey/submissions', {
    data,
    status: opts.status ?? 'submitted',
    orgUnit: opts.orgUnit ?? VILLAGE,
  });
  if (r.statusCode !== 201) throw new Error(`submit: ${r.statusCode} ${r.body}`);
  return (r.json() as { id: string }).id;
}

export { householdData };
