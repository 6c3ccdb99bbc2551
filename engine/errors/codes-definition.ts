import type { CodeInfo } from './codes.ts';

/** Error codes for definitions (loader problems). Every one is a client error: the definition is wrong. */
export const definitionCodes = {
  NX_ERR_DEF_INVALID: {
    status: 400,
    message: { 'zh-CN': '定义有错误', en: 'The definition has problems' },
  },
  NX_ERR_DEF_FILE_READ: {
    status: 400,
    message: { 'zh-CN': '无法读取定义文件', en: 'The definition file cannot be read' },
  },
  NX_ERR_DEF_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到该定义', en: 'No such definition' },
  },
  NX_ERR_DEF_UNKNOWN_KIND: {
    status: 400,
    message: { 'zh-CN': '无法识别的定义种类', en: 'Unknown kind of definition' },
  },
  NX_ERR_DEF_JSON_SYNTAX: {
    status: 400,
    message: { 'zh-CN': 'JSON 语法错误', en: 'JSON syntax error' },
  },
  NX_ERR_DEF_WRONG_TYPE: {
    status: 400,
    message: { 'zh-CN': '值的类型不对', en: 'Value has the wrong type' },
  },
  NX_ERR_DEF_MISSING_PROPERTY: {
    status: 400,
    message: { 'zh-CN': '缺少必填属性', en: 'A required property is missing' },
  },
  NX_ERR_DEF_UNKNOWN_PROPERTY: {
    status: 400,
    message: { 'zh-CN': '未知属性', en: 'Unknown property' },
  },
  NX_ERR_DEF_PATTERN: {
    status: 400,
    message: { 'zh-CN': '值的格式不对', en: 'Value does not match the required format' },
  },
  NX_ERR_DEF_OUT_OF_RANGE: {
    status: 400,
    message: { 'zh-CN': '值超出允许范围', en: 'Value is out of the allowed range' },
  },
  NX_ERR_DEF_NOT_ALLOWED: {
    status: 400,
    message: { 'zh-CN': '不允许的取值', en: 'Value is not one of the allowed values' },
  },
  NX_ERR_DEF_SCHEMA: {
    status: 400,
    message: { 'zh-CN': '不符合定义结构', en: 'Does not match the definition schema' },
  },
  NX_ERR_DEF_UNKNOWN_TYPE: {
    status: 400,
    message: { 'zh-CN': '未知字段类型', en: 'Unknown field type' },
  },
  NX_ERR_DEF_DUPLICATE_ID: {
    status: 400,
    message: { 'zh-CN': '标识重复', en: 'Duplicate id' },
  },
  NX_ERR_DEF_UNKNOWN_FIELD: {
    status: 400,
    message: { 'zh-CN': '规则引用了不存在的字段', en: 'A rule names an unknown field' },
  },
  NX_ERR_DEF_UNKNOWN_OP: {
    status: 400,
    message: { 'zh-CN': '规则使用了未知运算', en: 'A rule uses an unknown operation' },
  },
  NX_ERR_DEF_ARITY: {
    status: 400,
    message: { 'zh-CN': '运算参数个数不对', en: 'An operation has the wrong number of arguments' },
  },
  NX_ERR_DEF_BAD_RULE: {
    status: 400,
    message: { 'zh-CN': '规则无法编译', en: 'The rule cannot be compiled' },
  },
  NX_ERR_DEF_CALC_CYCLE: {
    status: 400,
    message: { 'zh-CN': '计算字段循环依赖', en: 'Calculated fields depend on each other in a cycle' },
  },
  NX_ERR_DEF_DUPLICATE_OPTION: {
    status: 400,
    message: { 'zh-CN': '选项值重复', en: 'Duplicate option value' },
  },
  NX_ERR_DEF_BAD_REGEX: {
    status: 400,
    message: { 'zh-CN': '正则表达式无效', en: 'Invalid regular expression' },
  },
  NX_ERR_DEF_TOO_DEEP: {
    status: 400,
    message: { 'zh-CN': '定义嵌套层数过多', en: 'The definition is nested too deeply' },
  },
  NX_ERR_DEF_TOO_LARGE: {
    status: 400,
    message: { 'zh-CN': '定义过大', en: 'The definition is too large' },
  },
  NX_ERR_DEF_ARRAY_TOO_LONG: {
    status: 400,
    message: { 'zh-CN': '定义中的数组过长', en: 'An array in the definition is too long' },
  },
  NX_ERR_DEF_REGEX_UNSUPPORTED: {
    status: 400,
    message: {
      'zh-CN': '正则表达式使用了需要回溯的写法（反向引用、前后断言），不能使用',
      en: 'The regular expression needs backtracking (backreference, lookaround), which is not supported',
    },
  },
  NX_ERR_DEF_REGEX_TOO_COMPLEX: {
    status: 400,
    message: { 'zh-CN': '正则表达式过长或过于复杂', en: 'The regular expression is too long or too complex' },
  },
  NX_ERR_DEF_MIN_ABOVE_MAX: {
    status: 400,
    message: { 'zh-CN': '下限大于上限', en: 'Lower limit is above the upper limit' },
  },
  NX_ERR_DEF_BAD_DEFAULT: {
    status: 400,
    message: {
      'zh-CN': '默认值不符合字段自身的类型或选项',
      en: "Default value does not fit the field's own type or options",
    },
  },
  NX_ERR_DEF_CALC_NOT_ALLOWED: {
    status: 400,
    message: { 'zh-CN': '该字段不能设置计算公式', en: 'This field cannot have a calculation' },
  },
  NX_ERR_DEF_UNKNOWN_REFERENCE: {
    status: 400,
    message: {
      'zh-CN': '引用了不存在的定义（表单、工作流、规则集等）',
      en: 'Refers to a definition (form, workflow, ruleset …) that does not exist',
    },
  },
  NX_ERR_DEF_UNKNOWN_NAME: {
    status: 400,
    message: {
      'zh-CN': '引用的定义中没有这个名称（状态、字段、输出等）',
      en: 'The definition referred to has no such name (state, field, output …)',
    },
  },
} satisfies Record<string, CodeInfo>;

export type DefinitionCode = keyof typeof definitionCodes;
