import type { FormDefinition } from '../../engine/definition/form-schema.ts';

const t = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/**
 * A small household form with every kind of field the server treats specially: a required
 * field, ID numbers and a phone (masked without `pii`), a table whose column is an ID number,
 * a select (overlays change options) and a number range (overlays tighten it).
 */
export function householdForm(overrides: Partial<FormDefinition> = {}): FormDefinition {
  return {
    id: 'test-household',
    version: 1,
    title: t('测试入户调查表', 'Test household survey'),
    sections: [
      {
        id: 'head',
        title: t('户主信息', 'Head of household'),
        fields: [
          {
            id: 'headName',
            type: 'text',
            label: t('户主姓名', 'Name of the head'),
            required: true,
            maxLength: 20,
          },
          { id: 'headIdNumber', type: 'idcard', label: t('身份证号', 'ID number'), required: true },
          { id: 'phone', type: 'phone', label: t('联系电话', 'Phone') },
          { id: 'householdSize', type: 'integer', label: t('家庭人口', 'Household size'), min: 1, max: 20 },
          {
            id: 'health',
            type: 'select',
            label: t('健康状况', 'Health'),
            options: [
              { value: 'healthy', label: t('健康', 'Healthy') },
              { value: 'ill', label: t('患病', 'Ill') },
            ],
          },
        ],
      },
      {
        id: 'family',
        title: t('家庭成员', 'Family members'),
        fields: [
          {
            id: 'members',
            type: 'table',
            label: t('家庭成员', 'Members'),
            columns: [
              { id: 'name', type: 'text', label: t('姓名', 'Name') },
              { id: 'idNumber', type: 'idcard', label: t('身份证号', 'ID number') },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}
