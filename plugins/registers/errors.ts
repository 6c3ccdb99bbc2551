import { type CodeTable, defineErrors } from '../../engine/entry/plugin.ts';

/** The registers plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const REGISTERS_CODES = {
  NX_ERR_REGISTERS_INVALID_DEFINITION: {
    status: 400,
    message: { 'zh-CN': '登记簿定义无效', en: 'Invalid register definition' },
  },
  NX_ERR_REGISTERS_UNKNOWN_FIELD: {
    status: 400,
    message: {
      'zh-CN': '登记簿引用了表单中不存在的字段',
      en: 'The register names a field the form does not have',
    },
  },
  NX_ERR_REGISTERS_FIELD_TYPE: {
    status: 400,
    message: {
      'zh-CN': '表单字段的类型与登记簿属性不符',
      en: 'The form field’s type does not fit the register property',
    },
  },
  NX_ERR_REGISTERS_DUPLICATE_ID: {
    status: 400,
    message: {
      'zh-CN': '登记簿或属性编号重复或为保留字',
      en: 'Register or property id used twice or reserved',
    },
  },
  NX_ERR_REGISTERS_UNKNOWN_FORM: {
    status: 400,
    message: {
      'zh-CN': '登记簿绑定了不存在的表单',
      en: 'The register is bound to a form that does not exist',
    },
  },
  NX_ERR_REGISTERS_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到登记簿或记录', en: 'Register or record not found' },
  },
  NX_ERR_REGISTERS_FLAG_CLOSED: {
    status: 409,
    message: { 'zh-CN': '该冲突或重复已处理', en: 'This conflict or duplicate has already been resolved' },
  },
  NX_ERR_REGISTERS_BAD_STATUS: {
    status: 400,
    message: {
      'zh-CN': '登记簿没有该状态，或缺少该状态要求的原因',
      en: 'The register has no such status, or the reason it requires is missing',
    },
  },
  NX_ERR_REGISTERS_MERGE_INVALID: {
    status: 400,
    message: {
      'zh-CN': '不能合并：两条记录须不同、都未被合并且都在本辖区',
      en: 'Cannot merge: the two records must differ, neither already merged, both in your area',
    },
  },
  NX_ERR_REGISTERS_TRANSFER_INVALID: {
    status: 400,
    message: {
      'zh-CN': '不能迁移：目标单位须为村（社区）且不同于当前单位',
      en: 'Cannot transfer: the target must be a village and differ from the current owner',
    },
  },
  NX_ERR_REGISTERS_BAD_WHEN: {
    status: 400,
    message: {
      'zh-CN': '绑定的 when 不是有效的 JSON Logic 规则',
      en: 'The binding’s when is not a valid JSON Logic rule',
    },
  },
  NX_ERR_REGISTERS_BAD_DATE: {
    status: 400,
    message: {
      'zh-CN': '生效日期须为实际存在的日期（YYYY-MM-DD）',
      en: 'The effective date must be a real calendar day (YYYY-MM-DD)',
    },
  },
  NX_ERR_REGISTERS_KEY_INVALID: {
    status: 400,
    message: {
      'zh-CN': '标识（如身份证号）为空或格式不对',
      en: 'The key (e.g. an ID number) is empty or malformed',
    },
  },
} as const satisfies CodeTable;

/** An NxError of one of the registers plugin's codes, with its registered status. */
export const registersError = defineErrors(REGISTERS_CODES);
