import { Type } from '@sinclair/typebox';
import { defineRuntimeExtension } from 'nuanxin/runtime';

/** 16 to 19 digits once spaces and hyphens are removed. */
const DIGITS = /^\d{16,19}$/;

/** The Luhn check digit test every Chinese UnionPay debit card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const digitsOf = (raw: unknown): string | null =>
  typeof raw === 'string' || typeof raw === 'number' ? String(raw).replace(/[\s-]+/g, '') : null;

/**
 * The plugin's runtime parts, written once: the server registers them in `setup`, the page bundle
 * imports this module as the plugin's `browser` module. Only browser-safe imports here.
 *
 * - field type `bankcard`: a bank card number (16–19 digits, spaces and hyphens allowed while
 *   typing), stored as digits only, refused unless its Luhn check digit is right;
 * - operation `bankcard_tail`: the last four digits of a card number (`"尾号 1234"` on a notice),
 *   `null` for anything that is not a card number.
 */
export default defineRuntimeExtension(({ fieldTypes, operations }) => {
  fieldTypes.register({
    name: 'bankcard',
    description: 'A bank card number: 16–19 digits with a valid Luhn check digit',
    options: Type.Object({}),
    compile: () => (raw) => {
      const digits = digitsOf(raw);
      if (digits === null || !DIGITS.test(digits))
        return {
          code: 'NX_ERR_BANK_CARD_FORMAT',
          message: { 'zh-CN': '银行卡号应为 16 至 19 位数字', en: 'A bank card number has 16 to 19 digits' },
        };
      if (!luhnValid(digits))
        return {
          code: 'NX_ERR_BANK_CARD_CHECK_DIGIT',
          message: {
            'zh-CN': '银行卡号校验位不正确，请核对卡号',
            en: 'The card number’s check digit is wrong; check the number',
          },
        };
      return { value: digits };
    },
  });
  operations.register({
    name: 'bankcard_tail',
    description: 'The last four digits of a bank card number, or null',
    arity: [1, 1],
    compile:
      ([card]) =>
      (env) => {
        const digits = digitsOf(card?.(env));
        return digits !== null && DIGITS.test(digits) ? digits.slice(-4) : null;
      },
  });
});
