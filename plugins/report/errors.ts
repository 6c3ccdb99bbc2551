import { type CodeTable, defineErrors } from '../../engine/entry/plugin.ts';

/** The report plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const REPORT_CODES = {
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
  NX_ERR_REPORT_NOTHING_TO_NOTIFY: {
    status: 404,
    message: {
      'zh-CN': '该家庭没有可告知的内容（例如没有正在享受的救助）',
      en: 'Nothing to tell this family (no benefit in force, for instance)',
    },
  },
} satisfies CodeTable;

export type ReportCode = keyof typeof REPORT_CODES;

/** An NxError of one of the report plugin's codes, its HTTP status from the table above. */
export const reportError = defineErrors(REPORT_CODES);
