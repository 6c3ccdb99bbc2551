import type { CodeInfo } from './codes.ts';

/** Error codes for the plugin host, and for the built-in plugins that ship with the engine. */
export const pluginCodes = {
  NX_ERR_PLUGIN_CONFIG_INVALID: {
    status: 500,
    message: { 'zh-CN': 'nuanxin.config.json 配置无效', en: 'nuanxin.config.json is invalid' },
  },
  NX_ERR_PLUGIN_NOT_FOUND: {
    status: 500,
    message: { 'zh-CN': '找不到插件', en: 'Plugin not found' },
  },
  NX_ERR_PLUGIN_INVALID: {
    status: 500,
    message: { 'zh-CN': '插件定义无效', en: 'Invalid plugin definition' },
  },
  NX_ERR_PLUGIN_DUPLICATE: {
    status: 500,
    message: { 'zh-CN': '插件重复加载', en: 'Plugin listed twice' },
  },
  NX_ERR_PLUGIN_BAD_CONFIG: {
    status: 500,
    message: { 'zh-CN': '插件配置不符合其模式', en: 'Plugin config does not match its schema' },
  },
  NX_ERR_PLUGIN_ENGINE_MISMATCH: {
    status: 500,
    message: { 'zh-CN': '插件不支持当前引擎版本', en: 'Plugin does not support this engine version' },
  },
  NX_ERR_PLUGIN_MISSING_DEPENDENCY: {
    status: 500,
    message: { 'zh-CN': '插件依赖的插件未加载', en: 'A plugin this plugin depends on is not loaded' },
  },
  NX_ERR_PLUGIN_DEPENDENCY_CYCLE: {
    status: 500,
    message: { 'zh-CN': '插件之间存在循环依赖', en: 'Plugins depend on each other in a cycle' },
  },
  NX_ERR_PLUGIN_SETUP_FAILED: {
    status: 500,
    message: { 'zh-CN': '插件初始化失败', en: 'Plugin setup failed' },
  },
  NX_ERR_PLUGIN_REGISTRATION_CONFLICT: {
    status: 500,
    message: { 'zh-CN': '名称已被其他插件注册', en: 'Name already registered by another plugin' },
  },
  NX_ERR_PLUGIN_FAILED: {
    status: 500,
    message: { 'zh-CN': '插件运行出错', en: 'A plugin failed while handling the request' },
  },
  // Built-in rules plugin.
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
  // Built-in report plugin.
  NX_ERR_REPORT_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到报表', en: 'Report not found' },
  },
  NX_ERR_REPORT_INVALID: {
    status: 400,
    message: { 'zh-CN': '报表定义无效', en: 'Invalid report definition' },
  },
  NX_ERR_REPORT_BAD_REQUEST: {
    status: 400,
    message: {
      'zh-CN': '报表参数无效（期间、单位或格式）',
      en: 'Invalid report request (period, unit or format)',
    },
  },
  NX_ERR_REPORT_TEMPLATE_UNSAFE: {
    status: 400,
    message: {
      'zh-CN': '模板使用了不转义的输出（{{{ }}} 或 {{& }}）',
      en: 'The template uses unescaped output ({{{ }}} or {{& }})',
    },
  },
  NX_ERR_REPORT_SOURCE_UNAVAILABLE: {
    status: 409,
    message: {
      'zh-CN': '报表所需的数据表尚未建立',
      en: 'A table the report reads does not exist yet',
    },
  },
} satisfies Record<string, CodeInfo>;
