import { definePlugin } from 'nuanxin/plugin';
import extendRuntime from './runtime.ts';

/** The plugin's error codes: what its field type answers, registered as it loads. */
export const BANK_CARD_CODES = {
  NX_ERR_BANK_CARD_FORMAT: {
    status: 422,
    message: { 'zh-CN': '银行卡号应为 16 至 19 位数字', en: 'A bank card number has 16 to 19 digits' },
  },
  NX_ERR_BANK_CARD_CHECK_DIGIT: {
    status: 422,
    message: { 'zh-CN': '银行卡号校验位不正确', en: 'The card number’s check digit is wrong' },
  },
};

/**
 * An example of a third-party plugin (not in the shipped configuration): a `bankcard` field type
 * and a `bankcard_tail` operation that run the same on the server and in the page. List it in
 * `nuanxin.config.json` by path: `"./examples/plugins/bank-card/index.ts"`.
 */
export default definePlugin({
  name: 'bank-card',
  version: '1.0.0',
  engine: '^0.1.0',
  description: { 'zh-CN': '银行卡号字段（示例插件）', en: 'Bank card number field (example plugin)' },
  errors: BANK_CARD_CODES,
  browser: new URL('./runtime.ts', import.meta.url),
  setup(api) {
    extendRuntime(api);
  },
});
