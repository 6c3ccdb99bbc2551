import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CompiledWorkflow, compileWorkflow } from '../../../engine/workflow/compile-workflow.ts';
import { createEffectRegistry, type EffectDefinition } from '../../../engine/workflow/effects.ts';
import { formFieldIndex } from '../../../engine/workflow/form-index.ts';
import { type LoadWorkflowOptions, loadWorkflow } from '../../../engine/workflow/load-workflow.ts';
import type { Decision, InstanceSnapshot, WorkflowActor } from '../../../engine/workflow/types.ts';
import type { OrgLevel, WorkflowDefinition } from '../../../engine/workflow/workflow-schema.ts';

const root = join(import.meta.dirname, '../../..');

/** Real codes from the demo org units: Sichuan → 巴中市 → 平昌县 → 江口街道 → 金宝村, and neighbours. */
export const ORG = {
  province: '510000',
  city: '511900',
  county: '511923',
  township: '511923100',
  village: '511923100201',
  /** Another village of the same township (东门社区). */
  siblingVillage: '511923100001',
  /** Another township of the same county (驷马镇) and its village. */
  otherTownship: '511923101',
  otherTownshipVillage: '511923101201',
  /** Another county of the same city (通江县) and another city (成都市). */
  otherCounty: '511921',
  otherCity: '510100',
} as const;

/** The case's path from the province down to 金宝村. */
export const VILLAGE_CASE_PATH = [ORG.province, ORG.city, ORG.county, ORG.township, ORG.village];

export const actor = (id: string, roles: string[], orgCode: string, orgLevel: OrgLevel): WorkflowActor => ({
  id,
  roles,
  orgCode,
  orgLevel,
});

/** One person per desk along the case's path, plus people who must be refused. */
export const people = {
  fieldStaff: actor('u-village', ['field_staff'], ORG.village, 'village'),
  otherFieldStaff: actor('u-village-2', ['field_staff'], ORG.village, 'village'),
  siblingFieldStaff: actor('u-sibling', ['field_staff'], ORG.siblingVillage, 'village'),
  townshipReviewer: actor('u-township', ['reviewer'], ORG.township, 'township'),
  otherTownshipReviewer: actor('u-township-2', ['reviewer'], ORG.otherTownship, 'township'),
  countyReviewer: actor('u-county', ['reviewer'], ORG.county, 'county'),
  countyReviewer2: actor('u-county-2', ['reviewer'], ORG.county, 'county'),
  countyAdmin: actor('u-county-admin', ['admin'], ORG.county, 'county'),
  countyBoth: actor('u-county-both', ['reviewer', 'admin'], ORG.county, 'county'),
  otherCountyReviewer: actor('u-other-county', ['reviewer'], ORG.otherCounty, 'county'),
  cityReviewer: actor('u-city', ['reviewer'], ORG.city, 'city'),
  finance: actor('u-finance', ['finance'], ORG.county, 'county'),
  bank: actor('u-bank', ['bank'], ORG.county, 'county'),
  provinceReviewer: actor('u-province', ['reviewer'], ORG.province, 'province'),
  cityStaff: actor('u-city-staff', ['field_staff'], ORG.city, 'city'),
  otherCityStaff: actor('u-other-city', ['field_staff'], ORG.otherCity, 'city'),
};

export const readJson = (rel: string): unknown => JSON.parse(readFileSync(join(root, rel), 'utf8'));

/** The shipped forms' field ids, as the loader's `forms` option wants them. */
export const shippedForms = () =>
  formFieldIndex([
    readJson('forms/household-survey.json'),
    readJson('forms/visit-statistics.json'),
    readJson('forms/assistance-application.json'),
  ]);

/** A stand-in for the rules plugin's effect: it reports what it was asked, so tests can see it ran. */
export const fakeRulesEffect = (calls: unknown[] = []): EffectDefinition => ({
  name: 'rules.evaluate',
  description: 'test double of the rules plugin',
  async run(ctx) {
    calls.push({ params: ctx.params, data: ctx.submission.data });
    return { eligible: true, ruleset: ctx.params?.ruleset };
  },
});

/** Loads and compiles a shipped workflow (effects: the test double of `rules.evaluate`). */
export function shipped(name: string, opts: Omit<LoadWorkflowOptions, 'file'> = {}): CompiledWorkflow {
  // The engine's walks run on the fixture of the approval path on the survey (finance and bank steps included).
  const file =
    name === 'survey-approval-fixture'
      ? 'test/fixtures/workflows/assistance-application.json'
      : `workflows/${name}.json`;
  const r = loadWorkflow(readJson(file), {
    file,
    effects: createEffectRegistry([fakeRulesEffect()]),
    forms: shippedForms(),
    ...opts,
  });
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.problems, null, 2)}`);
  return compileWorkflow(r.value);
}

export const instance = (over: Partial<InstanceSnapshot> = {}): InstanceSnapshot => ({
  state: 'draft',
  submitterId: people.fieldStaff.id,
  submitterOrg: ORG.village,
  caseOrgPath: VILLAGE_CASE_PATH,
  approvals: [],
  enteredAt: '2021-05-10T02:00:00.000Z',
  ...over,
});

/** Unwraps a successful decision, failing loudly with the refusal otherwise. */
export function moved(d: Decision): Extract<Decision, { ok: true }> {
  if (!d.ok) throw new Error(`refused: ${d.code} (${d.status})`);
  return d;
}

/** A small valid workflow to break in loader tests: a → b → done, with a timer and a deadline. */
export function minimalWorkflow(): WorkflowDefinition {
  const t = (zh: string, en: string) => ({ 'zh-CN': zh, en });
  return {
    id: 'mini',
    version: 1,
    title: t('小流程', 'Mini'),
    form: 'household-survey',
    initial: 'a',
    states: {
      a: { label: t('甲', 'A') },
      b: { label: t('乙', 'B'), timer: { after: 'P7D', action: 'finish' }, deadline: { after: 'P3D' } },
      done: { label: t('完', 'Done'), final: true },
    },
    transitions: [
      {
        action: 'go',
        label: t('去', 'Go'),
        from: 'a',
        to: 'b',
        by: [{ role: 'field_staff', level: 'village' }],
      },
      { action: 'finish', label: t('完成', 'Finish'), from: 'b', to: 'done', by: [] },
      {
        action: 'back',
        label: t('回', 'Back'),
        kind: 'return',
        from: 'b',
        to: 'a',
        by: [{ role: 'reviewer', level: 'township' }],
      },
    ],
  };
}
