import type { FormDefinition } from '../../../engine/definition/form-schema.ts';

/** Small builders so tests state only what matters to them. */
export const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

export function field(
  id: string,
  type: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, type, label: L(id, id), ...extra };
}

export function form(fields: Record<string, unknown>[], extra: Record<string, unknown> = {}): FormDefinition {
  return {
    id: 'test-form',
    version: 1,
    title: L('测试表', 'Test form'),
    sections: [{ id: 'main', title: L('主要', 'Main'), fields }],
    ...extra,
  } as unknown as FormDefinition;
}

export const opt = (value: string | number, zh: string, en: string) => ({ value, label: L(zh, en) });

/**
 * A form with every field type, groups, a hidden section, a table with row rules and computed
 * fields: shaped like the household survey (附件2), used by the runtime and the browser tests.
 */
export function allTypesForm(): FormDefinition {
  return {
    id: 'all-types',
    version: 1,
    title: L('全部字段类型', 'All field types'),
    sections: [
      {
        id: 'head',
        title: L('户主', 'Head of household'),
        fields: [
          field('headName', 'text', { required: true, minLength: 2, maxLength: 20 }),
          field('headIdNumber', 'idcard', { required: true }),
          field('headSex', 'select', {
            calculate: { idcard_sex: { var: 'headIdNumber' } },
            options: [opt('male', '男', 'Male'), opt('female', '女', 'Female')],
          }),
          field('headAge', 'integer', { calculate: { idcard_age: { var: 'headIdNumber' } } }),
          field('phone', 'phone', { required: true }),
          field('notes', 'textarea', { maxLength: 200 }),
          field('householdSize', 'integer', { required: true, min: 1, max: 30, unit: '人' }),
          field('orgUnit', 'orgunit', { level: 'county' }),
          field('visitDate', 'date', { min: '2021-04-25', default: '2021-05-01' }),
          field('causes', 'multiselect', {
            options: [
              opt('illness', '疾病', 'Illness'),
              opt('disaster', '灾害', 'Disaster'),
              opt('other', '其他', 'Other'),
            ],
          }),
          field('causeOther', 'text', {
            visibleIf: { in: ['other', { var: 'causes' }] },
            requiredIf: { in: ['other', { var: 'causes' }] },
          }),
          field('inLowIncomeRegistry', 'boolean', { default: false }),
          field('healthScore', 'number', { decimals: 1, min: 0, max: 100 }),
          {
            id: 'incomeGroup',
            type: 'group',
            label: L('收入', 'Income'),
            fields: [
              field('headIncome', 'money', { min: 0, unit: '元' }),
              field('totalIncome', 'money', {
                calculate: {
                  '+': [{ var: ['headIncome', 0] }, { sum: [{ var: 'members' }, 'annualIncome'] }],
                },
              }),
              field('perCapitaMonthly', 'money', {
                calculate: {
                  round: [{ '/': [{ var: 'totalIncome' }, { '*': [{ var: 'householdSize' }, 12] }] }, 2],
                },
              }),
            ],
          },
        ],
      },
      {
        id: 'members',
        title: L('家庭成员', 'Members'),
        fields: [
          field('members', 'table', {
            maxRows: 10,
            columns: [
              field('name', 'text', { required: true }),
              field('relation', 'select', {
                required: true,
                options: [
                  opt('spouse', '配偶', 'Spouse'),
                  opt('child', '子女', 'Child'),
                  opt('parent', '父母', 'Parent'),
                ],
              }),
              field('idNumber', 'idcard'),
              field('age', 'integer', {
                calculate: {
                  if: [
                    { var: 'row.idNumber' },
                    { idcard_age: { var: 'row.idNumber' } },
                    { var: 'row.ageGiven' },
                  ],
                },
                constraints: [
                  {
                    rule: {
                      or: [
                        { '!=': [{ var: 'row.relation' }, 'child'] },
                        { '<=': [{ var: 'row.age' }, { var: 'headAge' }] },
                      ],
                    },
                    code: 'CHILD_OLDER_THAN_HEAD',
                    message: L('子女年龄不应大于户主年龄', 'A child should not be older than the head'),
                  },
                ],
              }),
              field('ageGiven', 'integer', { min: 0, max: 150, visibleIf: { '!': { var: 'row.idNumber' } } }),
              field('school', 'text', { visibleIf: { '<': [{ var: 'row.age' }, 18] } }),
              field('annualIncome', 'money', { min: 0 }),
            ],
          }),
        ],
      },
      {
        id: 'hidden',
        title: L('建档立卡', 'Poverty registry'),
        visibleIf: { var: 'inLowIncomeRegistry' },
        fields: [field('registryNumber', 'text', { required: true })],
      },
    ],
    constraints: [
      {
        rule: { '==': [{ var: 'householdSize' }, { '+': [{ count: { var: 'members' } }, 1] }] },
        code: 'HOUSEHOLD_SIZE',
        message: L('家庭人口应等于家庭成员数加户主', 'Household size must equal the members plus the head'),
      },
    ],
  } as unknown as FormDefinition;
}
