import type { CodeInfo } from './codes.ts';

/** Error codes of the plugin host. A plugin's own codes live with it (`definePlugin({ errors })`). */
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
} satisfies Record<string, CodeInfo>;
