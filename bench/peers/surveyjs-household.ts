/**
 * forms/household-survey.json expressed as a SurveyJS survey, validated headless with
 * `survey-core` (`Model.validate`). One model is reused: each submission is assigned with
 * `model.data = …` (which replaces every value) and validated, as a server holding a survey would. Tick boxes are
 * `checkbox` questions (arrays, as in Nuanxin), tables `matrixdynamic`. Checks with no built-in
 * validator (ID checksum, age from the ID, household size) are registered functions called from
 * `expression` validators. SurveyJS keeps values outside a question's choices (no option check).
 */
import { FunctionFactory, Model, settings } from 'survey-core';
import { idcardAge, idcardOk } from './household-checks.ts';

const TODAY = '2021-06-01';
/**
 * SurveyJS turns digit strings in expressions into numbers (an 18-digit ID number loses its
 * last digits), so the ID checks read the values through the function's context instead.
 */
interface FnContext {
  question?: { value: unknown };
  row?: { getValue(name: string): unknown };
  survey?: { getValue(name: string): unknown };
}
FunctionFactory.Instance.register('idcard_ok', function (this: FnContext) {
  const v = this.question?.value;
  return v === undefined || v === null || v === '' || idcardOk(v, TODAY);
});
FunctionFactory.Instance.register('idcard_sex_ok', function (this: FnContext) {
  const id = this.survey?.getValue('headIdNumber');
  if (!idcardOk(id, TODAY)) return true;
  return ((id as string).charCodeAt(16) % 2 === 1 ? 'male' : 'female') === this.question?.value;
});
FunctionFactory.Instance.register('idcard_age_ok', function (this: FnContext) {
  const id = this.row?.getValue('idNumber');
  // As of the survey date, as the form computes ages (today until it is filled in).
  const at = (this.survey?.getValue('surveyDate') as string | undefined) || TODAY;
  return !idcardOk(id, at) || idcardAge(id as string, at) === this.question?.value;
});
FunctionFactory.Instance.register('row_count', (p: unknown[]) => (Array.isArray(p[0]) ? p[0].length : 0));
FunctionFactory.Instance.register('spouses', (p: unknown[]) =>
  Array.isArray(p[0]) ? p[0].filter((m) => (m as { relation?: string }).relation === 'spouse').length : 0,
);
// Numbers arrive as numbers; nothing here should be parsed from locale text.
settings.parseNumber = (s: unknown) => Number(s);

type Json = Record<string, unknown>;
const text = (name: string, maxLength: number, isRequired = false, extra: Json = {}): Json => ({
  type: 'text',
  name,
  maxLength,
  isRequired,
  ...extra,
});
const num = (name: string, min: number, max?: number, isRequired = false, extra: Json = {}): Json => ({
  type: 'text',
  inputType: 'number',
  name,
  isRequired,
  validators: [
    { type: 'numeric', minValue: min, ...(max === undefined ? {} : { maxValue: max }) },
    ...((extra.validators as Json[]) ?? []),
  ],
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'validators')),
});
const drop = (name: string, choices: string[], isRequired = false, extra: Json = {}): Json => ({
  type: 'dropdown',
  name,
  choices,
  isRequired,
  ...extra,
});
const boxes = (name: string, choices: string[], isRequired = false, extra: Json = {}): Json => ({
  type: 'checkbox',
  name,
  choices,
  isRequired,
  ...extra,
});
const bool = (name: string): Json => ({ type: 'boolean', name });
const HEALTH = ['healthy', 'chronic', 'serious', 'disabled'];

export const surveyjsHouseholdJson = {
  checkErrorsMode: 'onComplete',
  calculatedValues: [
    {
      name: 'totalAnnualIncome',
      expression:
        "round(iif({headAnnualIncome} notempty, {headAnnualIncome}, 0) + iif({pension} notempty, {pension}, 0) + sumInArray({members}, 'annualIncome'), 2)",
      includeIntoResult: true,
    },
    {
      name: 'perCapitaMonthlyIncome',
      expression: 'iif({householdSize} > 0, round({totalAnnualIncome} / (12 * {householdSize}), 2), 0)',
      includeIntoResult: true,
    },
  ],
  elements: [
    text('headName', 50, true),
    drop('headSex', ['male', 'female'], true, {
      validators: [{ type: 'expression', expression: 'idcard_sex_ok()' }],
    }),
    num('householdSize', 1, 20, true, {
      validators: [
        { type: 'regex', regex: '^\\d+$' },
        { type: 'expression', expression: '{householdSize} = row_count({members}) + 1' },
      ],
    }),
    text('phone', 30, false, {
      validators: [{ type: 'regex', regex: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8}(-\\d{1,6})?)$' }],
    }),
    text('headIdNumber', 18, true, { validators: [{ type: 'expression', expression: 'idcard_ok()' }] }),
    drop('headHealth', HEALTH, true),
    drop('disabilityGrade', ['none', '1', '2', '3', '4'], true, { visibleIf: "{headHealth} = 'disabled'" }),
    text('registeredAddress', 200, true),
    text('residenceAddress', 200),
    text('employer', 100),
    num('headAnnualIncome', 0),
    num('pension', 0),
    bool('pensionInsurance'),
    bool('medicalInsurance'),
    boxes(
      'povertyCauses',
      ['illness', 'disaster', 'disability', 'lack_of_labour', 'unemployment', 'land_loss', 'other'],
      true,
    ),
    text('povertyCauseOther', 100, true, { visibleIf: "{povertyCauses} contains 'other'" }),
    boxes('assistanceReceived', ['dibao', 'tekun', 'temporary', 'medical', 'education', 'housing', 'other']),
    num('assistanceAmountYearly', 0, undefined, true, { visibleIf: '{assistanceReceived} notempty' }),
    boxes('personCategories', ['covid_worker', 'flood', 'graduate', 'marginal', 'other']),
    num('cashDeposits', 0),
    {
      type: 'matrixdynamic',
      name: 'housing',
      maxRowCount: 10,
      rowCount: 0,
      columns: [
        {
          name: 'floorArea',
          cellType: 'text',
          inputType: 'number',
          isRequired: true,
          validators: [{ type: 'numeric', minValue: 0 }],
        },
        {
          name: 'nature',
          cellType: 'dropdown',
          choices: ['self_built', 'commercial', 'rented', 'other'],
          isRequired: true,
        },
        { name: 'address', cellType: 'text', maxLength: 200 },
      ],
    },
    {
      type: 'matrixdynamic',
      name: 'vehicles',
      maxRowCount: 10,
      rowCount: 0,
      columns: [
        { name: 'model', cellType: 'text', isRequired: true, maxLength: 100 },
        { name: 'use', cellType: 'text', maxLength: 100 },
      ],
    },
    {
      type: 'matrixdynamic',
      name: 'members',
      maxRowCount: 19,
      rowCount: 0,
      validators: [{ type: 'expression', expression: 'spouses({members}) <= 1' }],
      columns: [
        { name: 'name', cellType: 'text', isRequired: true, maxLength: 50 },
        {
          name: 'relation',
          cellType: 'dropdown',
          choices: ['spouse', 'child', 'parent', 'grandchild', 'sibling', 'other'],
          isRequired: true,
        },
        {
          name: 'idNumber',
          cellType: 'text',
          validators: [{ type: 'expression', expression: 'idcard_ok()' }],
        },
        {
          name: 'age',
          cellType: 'text',
          inputType: 'number',
          isRequired: true,
          validators: [
            { type: 'numeric', minValue: 0, maxValue: 150 },
            { type: 'expression', expression: 'idcard_age_ok()' },
          ],
        },
        { name: 'health', cellType: 'dropdown', choices: HEALTH, isRequired: true },
        { name: 'employerOrSchool', cellType: 'text', maxLength: 100 },
        {
          name: 'annualIncome',
          cellType: 'text',
          inputType: 'number',
          validators: [{ type: 'numeric', minValue: 0 }],
        },
        { name: 'socialInsurance', cellType: 'boolean' },
        { name: 'medicalInsurance', cellType: 'boolean' },
      ],
    },
    { type: 'comment', name: 'otherAssets', maxLength: 1000 },
    { type: 'comment', name: 'requests', maxLength: 2000 },
    text('surveyorName', 50, true),
    text('surveyDate', 10, true, {
      validators: [
        { type: 'expression', expression: "{surveyDate} >= '2021-04-25' and {surveyDate} <= '2021-06-01'" },
      ],
    }),
    drop('householdSignature', ['signed', 'fingerprint'], true),
    drop('areaType', ['urban', 'rural'], true, { defaultValue: 'rural' }),
    bool('inPovertyRegistry'),
    num('medicalExpenses12m', 0),
    num('educationExpenses12m', 0),
  ],
};

/** A SurveyJS model of the household survey, to be reused across submissions. */
export function createSurveyjsValidator(): (data: unknown) => boolean {
  const model = new Model(surveyjsHouseholdJson);
  return (data) => {
    model.data = data as Json;
    return model.validate(false, false);
  };
}
