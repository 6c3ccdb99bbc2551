/**
 * forms/household-survey.json expressed as a form.io form, validated server-side with
 * `@formio/core` processSync (the evaluator targets: calculations, conditions, clearing hidden
 * values, validation). Tick boxes are form.io `selectboxes`, whose data is an object
 * `{ value: true }` rather than an array: `toFormioData` converts each submission once, outside
 * the timed loop. Checks with no form.io rule (ID checksum, age from the ID, household size,
 * survey-date window, one spouse) are `custom` JavaScript, as a form.io author would write them.
 */
import { ProcessTargets, processSync } from '@formio/core';
import { idcardSource } from './household-checks.ts';

type Json = Record<string, unknown>;
const opts = (...values: string[]) => ({
  dataSrc: 'values',
  data: { values: values.map((v) => ({ label: v, value: v })) },
});
const select = (key: string, values: string[], extra: Json = {}): Json => ({
  type: 'select',
  key,
  input: true,
  ...opts(...values),
  ...extra,
  validate: { onlyAvailableItems: true, ...((extra.validate as Json) ?? {}) },
});
const text = (key: string, maxLength: number, required = false, extra: Json = {}): Json => ({
  type: 'textfield',
  key,
  input: true,
  ...extra,
  validate: { required, maxLength, ...((extra.validate as Json) ?? {}) },
});
const num = (key: string, validate: Json, extra: Json = {}): Json => ({
  type: 'number',
  key,
  input: true,
  validate,
  ...extra,
});
const money = (key: string, required = false): Json => num(key, { min: 0, required });
const boxes = (key: string, values: string[], required = false): Json => ({
  type: 'selectboxes',
  key,
  input: true,
  values: values.map((v) => ({ label: v, value: v })),
  validate: { required },
});
const check = (key: string): Json => ({ type: 'checkbox', key, input: true });
const custom = (code: string) => `${idcardSource}\nconst TODAY = '2021-06-01';\n${code}`;

const HEALTH = ['healthy', 'chronic', 'serious', 'disabled'];
const CAUSES = ['illness', 'disaster', 'disability', 'lack_of_labour', 'unemployment', 'land_loss', 'other'];
const ASSIST = ['dibao', 'tekun', 'temporary', 'medical', 'education', 'housing', 'other'];
const CATEGORIES = ['covid_worker', 'flood', 'graduate', 'marginal', 'other'];

export const formioHouseholdForm = {
  display: 'form',
  components: [
    text('headName', 50, true),
    select('headSex', ['male', 'female'], {
      validate: {
        required: true,
        custom: custom(
          "valid = !idcardOk(data.headIdNumber, TODAY) || (data.headIdNumber.charCodeAt(16) % 2 === 1 ? 'male' : 'female') === input ? true : 'sex does not match the ID number';",
        ),
      },
    }),
    num('householdSize', {
      required: true,
      min: 1,
      max: 20,
      integer: true,
      custom:
        "valid = input === (data.members || []).length + 1 ? true : 'household size must be members + 1';",
    }),
    text('phone', 30, false, { validate: { pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8}(-\\d{1,6})?)$' } }),
    text('headIdNumber', 18, true, {
      validate: { custom: custom("valid = idcardOk(input, TODAY) ? true : 'invalid ID number';") },
    }),
    select('headHealth', HEALTH, { validate: { required: true } }),
    select('disabilityGrade', ['none', '1', '2', '3', '4'], {
      validate: { required: true },
      conditional: { show: true, when: 'headHealth', eq: 'disabled' },
    }),
    text('registeredAddress', 200, true),
    text('residenceAddress', 200),
    text('employer', 100),
    money('headAnnualIncome'),
    money('pension'),
    check('pensionInsurance'),
    check('medicalInsurance'),
    boxes('povertyCauses', CAUSES, true),
    text('povertyCauseOther', 100, true, {
      customConditional: 'show = !!(data.povertyCauses && data.povertyCauses.other);',
    }),
    boxes('assistanceReceived', ASSIST),
    num(
      'assistanceAmountYearly',
      { min: 0, required: true },
      {
        customConditional: 'show = Object.values(data.assistanceReceived || {}).some(Boolean);',
      },
    ),
    boxes('personCategories', CATEGORIES),
    money('cashDeposits'),
    {
      type: 'datagrid',
      key: 'housing',
      input: true,
      validate: { maxLength: 10 },
      components: [
        num('floorArea', { required: true, min: 0 }),
        select('nature', ['self_built', 'commercial', 'rented', 'other'], { validate: { required: true } }),
        text('address', 200),
      ],
    },
    {
      type: 'datagrid',
      key: 'vehicles',
      input: true,
      validate: { maxLength: 10 },
      components: [text('model', 100, true), text('use', 100)],
    },
    {
      type: 'datagrid',
      key: 'members',
      input: true,
      validate: { maxLength: 19 },
      components: [
        text('name', 50, true),
        select('relation', ['spouse', 'child', 'parent', 'grandchild', 'sibling', 'other'], {
          validate: {
            required: true,
            custom:
              "valid = input !== 'spouse' || data.members.filter((m) => m.relation === 'spouse').length <= 1 ? true : 'one spouse at most';",
          },
        }),
        text('idNumber', 18, false, {
          validate: {
            custom: custom("valid = !input || idcardOk(input, TODAY) ? true : 'invalid ID number';"),
          },
        }),
        num('age', {
          required: true,
          min: 0,
          max: 150,
          integer: true,
          custom: custom(
            "var at = data.surveyDate || TODAY; valid = !row.idNumber || !idcardOk(row.idNumber, at) || idcardAge(row.idNumber, at) === input ? true : 'age does not match the ID number';",
          ),
        }),
        select('health', HEALTH, { validate: { required: true } }),
        text('employerOrSchool', 100),
        money('annualIncome'),
        check('socialInsurance'),
        check('medicalInsurance'),
      ],
    },
    { type: 'textarea', key: 'otherAssets', input: true, validate: { maxLength: 1000 } },
    { type: 'textarea', key: 'requests', input: true, validate: { maxLength: 2000 } },
    text('surveyorName', 50, true),
    text('surveyDate', 10, true, {
      validate: {
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        custom: "valid = input >= '2021-04-25' && input <= '2021-06-01' ? true : 'survey date out of range';",
      },
    }),
    select('householdSignature', ['signed', 'fingerprint'], { validate: { required: true } }),
    select('areaType', ['urban', 'rural'], { defaultValue: 'rural', validate: { required: true } }),
    check('inPovertyRegistry'),
    money('medicalExpenses12m'),
    money('educationExpenses12m'),
    num(
      'totalAnnualIncome',
      {},
      {
        calculateServer: true,
        calculateValue:
          'value = Math.round(((data.headAnnualIncome || 0) + (data.pension || 0) + (data.members || []).reduce((s, m) => s + (m.annualIncome || 0), 0)) * 100) / 100;',
      },
    ),
    num(
      'perCapitaMonthlyIncome',
      {},
      {
        calculateServer: true,
        calculateValue:
          'value = data.householdSize > 0 ? Math.round(data.totalAnnualIncome * 100 / (12 * data.householdSize)) / 100 : null;',
      },
    ),
  ],
};

/** Tick-box arrays become form.io's `{ value: true }` objects; everything else is kept. */
export function toFormioData(h: unknown): Json {
  const d = { ...(h as Json) };
  for (const [key, values] of [
    ['povertyCauses', CAUSES],
    ['assistanceReceived', ASSIST],
    ['personCategories', CATEGORIES],
  ] as const) {
    const ticked = Array.isArray(d[key]) ? (d[key] as string[]) : [];
    d[key] = Object.fromEntries(values.map((v) => [v, ticked.includes(v)]));
  }
  return d;
}

/** Validates one (converted) submission as a form.io server would; true when it has no errors. */
export function validateFormio(data: Json): boolean {
  const submission = { data: structuredClone(data) };
  const context = {
    form: formioHouseholdForm,
    submission,
    data: submission.data,
    components: formioHouseholdForm.components,
    processors: ProcessTargets.evaluator,
    scope: {} as { errors?: unknown[] },
    config: { server: true },
  };
  processSync(context as never);
  return (context.scope.errors ?? []).length === 0;
}

/** The errors of one submission, for checking the definition against the engine. */
export function formioErrors(data: Json): unknown[] {
  const submission = { data: structuredClone(data) };
  const context = {
    form: formioHouseholdForm,
    submission,
    data: submission.data,
    components: formioHouseholdForm.components,
    processors: ProcessTargets.evaluator,
    scope: {} as { errors?: unknown[] },
    config: { server: true },
  };
  processSync(context as never);
  return context.scope.errors ?? [];
}
