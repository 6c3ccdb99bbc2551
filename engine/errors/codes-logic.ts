import type { CodeInfo } from './codes.ts';

/** Error codes of the expression language and of form compilation (definition → closures). */
export const logicCodes = {
  NX_ERR_LOGIC_UNKNOWN_OP: {
    status: 400,
    message: { 'zh-CN': '规则使用了未注册的运算', en: 'The rule uses an operation that is not registered' },
  },
  NX_ERR_LOGIC_FORBIDDEN_PATH: {
    status: 400,
    message: {
      'zh-CN': '规则不能读取 __proto__、constructor 或 prototype',
      en: 'A rule may not read __proto__, constructor or prototype',
    },
  },
  NX_ERR_LOGIC_BUDGET_EXCEEDED: {
    status: 422,
    message: {
      'zh-CN': '规则计算量超过上限（步数预算）',
      en: 'The rule needs more steps than its evaluation budget allows',
    },
  },
  NX_ERR_LOGIC_RESULT_TOO_LARGE: {
    status: 422,
    message: {
      'zh-CN': '规则生成的文本或数组超过长度上限',
      en: 'The rule builds a text or an array longer than allowed',
    },
  },
  NX_ERR_LOGIC_TOO_DEEP: {
    status: 400,
    message: { 'zh-CN': '规则嵌套层数过多', en: 'The rule is nested too deeply' },
  },
  NX_ERR_LOGIC_BAD_OPERATION: {
    status: 500,
    message: { 'zh-CN': '运算定义无效', en: 'Invalid operation definition' },
  },
  NX_ERR_LOGIC_SEALED_REGISTRY: {
    status: 500,
    message: {
      'zh-CN': '默认运算注册表不可修改，请先 fork()',
      en: 'The default operation registry is read-only; fork() it first',
    },
  },
  NX_ERR_RUNTIME_UNKNOWN_TYPE: {
    status: 400,
    message: {
      'zh-CN': '表单使用了未注册的字段类型',
      en: 'The form uses a field type that is not registered',
    },
  },
  NX_ERR_RUNTIME_BAD_FIELD_TYPE: {
    status: 500,
    message: { 'zh-CN': '字段类型定义无效', en: 'Invalid field type definition' },
  },
  NX_ERR_RUNTIME_PATTERN_ENGINE: {
    status: 500,
    message: {
      'zh-CN': '正则表达式引擎尚未加载',
      en: 'The pattern engine is not loaded',
    },
  },
} satisfies Record<string, CodeInfo>;
