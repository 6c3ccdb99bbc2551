import { type CodeTable, defineErrors } from '../../engine/entry/plugin.ts';

/** The benefits plugin's error codes (registered as the plugin loads). */
export const BENEFITS_CODES = {
  NX_ERR_BENEFITS_NOT_FOUND: {
    status: 404,
    message: { 'zh-CN': '找不到该救助待遇', en: 'Benefit not found' },
  },
  NX_ERR_BENEFITS_INVALID_CHANGE: {
    status: 422,
    message: { 'zh-CN': '待遇变更无效', en: 'Invalid change of a benefit' },
  },
  NX_ERR_BENEFITS_NOT_ALLOWED: {
    status: 409,
    message: {
      'zh-CN': '待遇当前状态下不能这样变更',
      en: 'The benefit cannot change so in its current status',
    },
  },
  NX_ERR_BENEFITS_CONFLICT: {
    status: 409,
    message: {
      'zh-CN': '待遇已被他人修改，请刷新后重试',
      en: 'The benefit was changed meanwhile; reload and retry',
    },
  },
  NX_ERR_BENEFITS_ZERO_AMOUNT: {
    status: 409,
    message: {
      'zh-CN': '按规则核定的月救助金额为 0，不能批准按月发放的待遇',
      en: 'The entitlement the rules give is 0: a monthly benefit of 0 cannot be approved',
    },
  },
  NX_ERR_BENEFITS_NO_DECISION: {
    status: 409,
    message: {
      'zh-CN': '该家庭没有可用的资格核对结果，无法核定金额',
      en: 'The household has no eligibility decision to take the amount from',
    },
  },
  NX_ERR_BENEFITS_HOUSEHOLD_UNKNOWN: {
    status: 422,
    message: {
      'zh-CN': '家庭户登记簿中没有该户主身份证号的在册记录',
      en: "No active household with this head's ID number in the households register",
    },
  },
  NX_ERR_BENEFITS_HOTLINE_INVALID: {
    status: 500,
    message: { 'zh-CN': '咨询投诉电话配置无效', en: 'The hotline configuration is invalid' },
  },
} satisfies CodeTable;

export const benefitsError = defineErrors(BENEFITS_CODES);
