/**
 * A small valid form that each test breaks in one place, so every test shows exactly the
 * mistake it is about. Returns a fresh deep copy each call.
 */
export type Json = Record<string, unknown>;

export function validForm(): Json {
  return structuredClone({
    id: 'household-mini',
    version: 1,
    title: { 'zh-CN': '入户调查（简）', en: 'Household survey (mini)' },
    sections: [
      {
        id: 'head',
        title: { 'zh-CN': '户主', en: 'Head of household' },
        fields: [
          {
            id: 'name',
            type: 'text',
            label: { 'zh-CN': '户主姓名', en: 'Name' },
            required: true,
            maxLength: 20,
          },
          { id: 'idNumber', type: 'idcard', label: { 'zh-CN': '身份证号码', en: 'ID number' } },
          {
            id: 'age',
            type: 'integer',
            label: { 'zh-CN': '年龄', en: 'Age' },
            calculate: { idcard_age: [{ var: 'idNumber' }, { var: 'ctx.today' }] },
            readOnly: true,
          },
          {
            id: 'health',
            type: 'select',
            label: { 'zh-CN': '健康状况', en: 'Health' },
            options: [
              { value: 'good', label: { 'zh-CN': '健康', en: 'Good' } },
              { value: 'ill', label: { 'zh-CN': '患病', en: 'Ill' } },
            ],
            default: 'good',
          },
          {
            id: 'illness',
            type: 'text',
            label: { 'zh-CN': '病种', en: 'Illness' },
            visibleIf: { '==': [{ var: 'health' }, 'ill'] },
          },
        ],
      },
      {
        id: 'family',
        title: { 'zh-CN': '家庭成员', en: 'Family' },
        fields: [
          {
            id: 'membersGroup',
            type: 'group',
            label: { 'zh-CN': '成员', en: 'Members' },
            fields: [
              {
                id: 'members',
                type: 'table',
                label: { 'zh-CN': '家庭成员', en: 'Family members' },
                minRows: 0,
                maxRows: 20,
                columns: [
                  { id: 'memberName', type: 'text', label: { 'zh-CN': '姓名', en: 'Name' } },
                  { id: 'income', type: 'money', label: { 'zh-CN': '年收入', en: 'Annual income' }, min: 0 },
                  {
                    id: 'monthly',
                    type: 'money',
                    label: { 'zh-CN': '月收入', en: 'Monthly income' },
                    calculate: { round: [{ '/': [{ var: 'row.income' }, 12] }, 2] },
                  },
                ],
              },
            ],
          },
          {
            id: 'totalIncome',
            type: 'money',
            label: { 'zh-CN': '家庭年收入', en: 'Household income' },
            unit: '元',
            calculate: { sum: [{ var: 'members' }, 'income'] },
          },
          {
            id: 'size',
            type: 'integer',
            label: { 'zh-CN': '家庭人口', en: 'Household size' },
            min: 1,
            max: 30,
          },
        ],
      },
    ],
    constraints: [
      {
        rule: { '==': [{ var: 'size' }, { '+': [{ count: [{ var: 'members' }] }, 1] }] },
        message: {
          'zh-CN': '家庭人口应等于成员数加户主',
          en: 'Household size must equal members plus the head',
        },
      },
    ],
  });
}

/** The field object at `path` of sections/fields indices, for editing in a test. */
export function fieldAt(form: Json, section: number, ...indices: number[]): Json {
  // biome-ignore lint/suspicious/noExplicitAny: test-only navigation of a JSON tree
  let node: any = (form.sections as Json[])[section];
  for (const i of indices) node = (node.fields ?? node.columns)[i];
  return node as Json;
}
