import { type CodeTable, defineErrors } from '../../engine/entry/plugin.ts';

/** The cross-checks plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const CROSSCHECKS_CODES = {
  NX_ERR_CROSSCHECKS_INVALID_DEFINITION: {
    status: 400,
    message: { 'zh-CN': '比对名单或比对规则定义无效', en: 'Invalid list or comparison definition' },
  },
  NX_ERR_CROSSCHECKS_DUPLICATE_ID: {
    status: 400,
    message: { 'zh-CN': '编号重复或为保留字', en: 'Id used twice or reserved' },
  },
  NX_ERR_CROSSCHECKS_UNKNOWN_NAME: {
    status: 400,
    message: {
      'zh-CN': '规则引用了名单或登记簿中不存在的列',
      en: 'A rule reads a column the list or the register does not have',
    },
  },
  NX_ERR_CROSSCHECKS_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到名单、比对问题或转介', en: 'List, finding or referral not found' },
  },
  NX_ERR_CROSSCHECKS_BAD_FILE: {
    status: 400,
    message: {
      'zh-CN': '名单文件缺少表头或身份证号列',
      en: 'The list file lacks a header row or the ID-number column',
    },
  },
  NX_ERR_CROSSCHECKS_BAD_ROW: {
    status: 422,
    message: { 'zh-CN': '名单中有无效的行', en: 'The list holds invalid rows' },
  },
  NX_ERR_CROSSCHECKS_BAD_ACTION: {
    status: 422,
    message: {
      'zh-CN': '此操作不适用于当前状态，或缺少原因',
      en: 'The action does not fit the current status, or a reason is missing',
    },
  },
  NX_ERR_CROSSCHECKS_FORBIDDEN: {
    status: 403,
    message: {
      'zh-CN': '只有转介的接收部门或县级以上民政用户可以答复',
      en: "Only the receiving department's users or civil affairs at county level or above may answer",
    },
  },
} satisfies CodeTable;

export type CrosschecksCode = keyof typeof CROSSCHECKS_CODES;

/** An NxError of one of the plugin's codes, its HTTP status from the table above. */
export const crosschecksError = defineErrors(CROSSCHECKS_CODES);
