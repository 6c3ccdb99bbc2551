import { type CodeTable, defineErrors } from '../../engine/entry/plugin.ts';

/** The payments plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const PAYMENTS_CODES = {
  NX_ERR_PAYMENTS_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到发放批次或发放行', en: 'Payment batch or line not found' },
  },
  NX_ERR_PAYMENTS_BAD_REQUEST: {
    status: 400,
    message: {
      'zh-CN': '请求无效：月份须为 YYYY-MM，单位须为本辖区内的县（市、区）',
      en: 'Invalid request: the month is YYYY-MM and the unit a county in your area',
    },
  },
  NX_ERR_PAYMENTS_NO_AGENT_BANK: {
    status: 422,
    message: {
      'zh-CN': '该县没有声明代理金融机构（payments 插件配置 agentBanks），批次无法寄送',
      en: 'No agent bank is declared for this county (payments config agentBanks): the batch has no addressee',
    },
  },
  NX_ERR_PAYMENTS_NOTHING_TO_PAY: {
    status: 422,
    message: {
      'zh-CN': '该县该月没有应发放的待遇，也没有需要补发的行',
      en: 'Nothing is payable for this county and month, and nothing is carried over',
    },
  },
  NX_ERR_PAYMENTS_BAD_STATE: {
    status: 409,
    message: {
      'zh-CN': '批次当前状态不允许此操作（已审核、已退回或尚未经财政审核）',
      en: 'The batch’s state does not allow this (already decided, returned, or not yet approved by finance)',
    },
  },
  NX_ERR_PAYMENTS_REASON_REQUIRED: {
    status: 400,
    message: { 'zh-CN': '退回须填写原因', en: 'Returning a batch needs a reason' },
  },
  NX_ERR_PAYMENTS_CARD_ACCOUNT_INVALID: {
    status: 422,
    message: {
      'zh-CN': '社会保障卡账户数据有误，整批未导入',
      en: 'Card account rows are invalid: nothing was imported',
    },
  },
  NX_ERR_PAYMENTS_RETURN_FILE_INVALID: {
    status: 422,
    message: {
      'zh-CN': '银行回盘文件有误（格式、行号、身份证号或金额与批次不符），整个文件未导入',
      en: 'The bank’s return file is invalid (layout, line number, ID number or amount differs from the batch): nothing was imported',
    },
  },
  NX_ERR_PAYMENTS_RETURN_CONFLICT: {
    status: 409,
    message: {
      'zh-CN': '回盘文件改变了已登记的发放结果（已发放的行不能再改为失败，反之亦然），整个文件未导入',
      en: 'The return file changes a result already recorded (a paid line cannot become failed, nor the reverse): nothing was imported',
    },
  },
} as const satisfies CodeTable;

/** An NxError of one of the payments plugin's codes, with its registered status. */
export const paymentsError = defineErrors(PAYMENTS_CODES);
