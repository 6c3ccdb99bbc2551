import { type CodeTable, defineErrors } from '../../engine/entry/plugin.ts';

/** The rules plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const RULES_CODES = {
  NX_ERR_RULES_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到规则集', en: 'Ruleset not found' },
  },
  NX_ERR_RULES_INVALID_RULESET: {
    status: 400,
    message: { 'zh-CN': '规则集定义无效', en: 'Invalid ruleset definition' },
  },
  NX_ERR_RULES_UNKNOWN_NAME: {
    status: 400,
    message: { 'zh-CN': '规则引用了未定义的名称', en: 'A rule refers to a name that is not defined' },
  },
  NX_ERR_RULES_DUPLICATE_NAME: {
    status: 400,
    message: { 'zh-CN': '名称重复或为保留字', en: 'Name used twice or reserved' },
  },
  NX_ERR_RULES_PARAMETER_MISSING: {
    status: 422,
    message: {
      'zh-CN': '该地区在该日期没有生效的参数（如低保标准）',
      en: 'No parameter value (e.g. the dibao standard) is in force for this area on this date',
    },
  },
  NX_ERR_RULES_INVALID_PARAMETER: {
    status: 400,
    message: { 'zh-CN': '参数值无效', en: 'Invalid parameter value' },
  },
  NX_ERR_RULES_UNDECLARED_PARAMETER: {
    status: 400,
    message: {
      'zh-CN': '没有规则集声明此参数（可能拼写有误）',
      en: 'No loaded ruleset declares this parameter (perhaps a typo)',
    },
  },
  NX_ERR_RULES_PARAMETER_OUT_OF_RANGE: {
    status: 400,
    message: {
      'zh-CN': '参数取值超出声明的范围或类型',
      en: 'The value is outside the range or type the parameter declares',
    },
  },
  NX_ERR_RULES_PARAMETER_NOT_ALLOWED: {
    status: 400,
    message: {
      'zh-CN': '该参数不能在此城乡类别或单位层级设置',
      en: 'The parameter may not be set for this area or at this org level',
    },
  },
  NX_ERR_RULES_BAD_DECLARATION: {
    status: 400,
    message: {
      'zh-CN': '规则集的参数声明自相矛盾（上下限、默认值或类型）',
      en: "A ruleset's parameter declaration contradicts itself (bounds, default or type)",
    },
  },
  NX_ERR_RULES_PARAMETER_VALUE_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到要撤回的参数取值', en: 'No such parameter value to withdraw' },
  },
  NX_ERR_RULES_CHANGE_NOT_FOUND: {
    status: 404,
    message: {
      'zh-CN': '找不到该变动事项（或不在您的辖区内）',
      en: 'No such change item (or it is outside your area)',
    },
  },
  NX_ERR_RULES_CHANGE_CLOSED: {
    status: 409,
    message: {
      'zh-CN': '该变动事项已处理；重新读取变动清单查看处理结果',
      en: 'The change item is already closed; read the change list again to see how',
    },
  },
  NX_ERR_RULES_JOB_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到该监测任务', en: 'No such monitoring job' },
  },
} satisfies CodeTable;

export type RulesCode = keyof typeof RULES_CODES;

/** An NxError of one of the rules plugin's codes, its HTTP status from the table above. */
export const rulesError = defineErrors(RULES_CODES);
