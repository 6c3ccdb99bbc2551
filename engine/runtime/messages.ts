import { valueCodes } from '../errors/codes-value.ts';
import type { Text } from '../i18n.ts';
import type { ValidationError } from './types.ts';

/**
 * Value-error messages with the limits filled in, zh-CN first. Codes without a template use the
 * registry's message.
 */
type Params = Record<string, unknown>;
const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });
const list = (p: Params, k: string) => (Array.isArray(p[k]) ? (p[k] as unknown[]).join(', ') : String(p[k]));

const mib = (n: unknown) =>
  typeof n === 'number' && n >= 1024 * 1024
    ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB`
    : `${Math.round(Number(n) / 1024)} KB`;

const TEMPLATES: Record<string, (p: Params) => Text> = {
  NX_ERR_VALUE_MIN: (p) => t(`不能小于 ${p.min}`, `Enter a value of at least ${p.min}`),
  NX_ERR_VALUE_MAX: (p) => t(`不能大于 ${p.max}`, `Enter a value of at most ${p.max}`),
  NX_ERR_VALUE_MIN_LENGTH: (p) =>
    t(`请至少输入 ${p.minLength} 个字`, `Enter at least ${p.minLength} characters`),
  NX_ERR_VALUE_MAX_LENGTH: (p) =>
    t(`最多输入 ${p.maxLength} 个字`, `Enter at most ${p.maxLength} characters`),
  NX_ERR_VALUE_OPTION: (p) =>
    t(`请从以下选项中选择：${list(p, 'allowed')}`, `Choose one of: ${list(p, 'allowed')}`),
  NX_ERR_VALUE_MIN_ITEMS: (p) => t(`请至少勾选 ${p.minItems} 项`, `Tick at least ${p.minItems}`),
  NX_ERR_VALUE_MAX_ITEMS: (p) => t(`最多勾选 ${p.maxItems} 项`, `Tick at most ${p.maxItems}`),
  NX_ERR_VALUE_FILE_TYPE: (p) =>
    t(`只能上传以下类型：${list(p, 'accept')}`, `Upload one of these types: ${list(p, 'accept')}`),
  NX_ERR_VALUE_FILE_SIZE: (p) =>
    t(`文件不能超过 ${mib(p.maxSize)}`, `The file may be at most ${mib(p.maxSize)}`),
  NX_ERR_VALUE_MIN_FILES: (p) => t(`请至少上传 ${p.minCount} 个文件`, `Upload at least ${p.minCount} files`),
  NX_ERR_VALUE_MAX_FILES: (p) => t(`最多上传 ${p.maxCount} 个文件`, `Upload at most ${p.maxCount} files`),
  NX_ERR_VALUE_GEO_ACCURACY: (p) =>
    t(
      `定位精度需在 ${p.maxAccuracy} 米以内，请到开阔处重新定位`,
      `The location must be accurate to ${p.maxAccuracy} m; locate again in the open`,
    ),
  NX_ERR_VALUE_MIN_ROWS: (p) => t(`请至少填写 ${p.minRows} 行`, `Add at least ${p.minRows} rows`),
  NX_ERR_VALUE_MAX_ROWS: (p) => t(`最多填写 ${p.maxRows} 行`, `Keep at most ${p.maxRows} rows`),
  NX_ERR_VALUE_TOO_MANY_ERRORS: (p) =>
    t(
      `错误太多：只列出前 ${p.shown} 条，另有 ${p.omitted} 条未列出`,
      `Too many errors: the first ${p.shown} are listed, ${p.omitted} more are not`,
    ),
  NX_ERR_VALUE_TYPE: (p) => {
    switch (p.expected) {
      case 'integer':
        return t('请输入整数', 'Enter a whole number');
      case 'number':
        return t('请输入数字', 'Enter a number');
      case 'money':
        return t('请输入金额（元），最多两位小数', 'Enter an amount in yuan, at most 2 decimals');
      case 'boolean':
        return t('请选择“是”或“否”', 'Choose yes or no');
      case 'text':
        return t('请输入文字', 'Enter text');
      case 'array':
        return t('请勾选选项', 'Tick the options');
      case 'rows':
        return t('请按行填写表格', 'Enter the table as a list of rows');
      case 'attachment':
        return t('请上传文件后再选择', 'Upload the file, then attach the reference the upload returned');
      case 'geopoint':
        return t('请重新定位', 'Locate again: a location is {lat, lon, accuracy}');
      case 'row':
        return t('表格的每一行必须是一个对象', 'Each table row must be an object');
      default:
        return valueCodes.NX_ERR_VALUE_TYPE.message;
    }
  },
  NX_ERR_VALUE_ORGUNIT: (p) =>
    p.level
      ? t(
          `请输入${LEVEL_ZH[String(p.level)] ?? ''}级行政区划代码`,
          `Enter a ${String(p.level)}-level administrative division code`,
        )
      : valueCodes.NX_ERR_VALUE_ORGUNIT.message,
  NX_ERR_VALUE_NOT_CHECKED_HERE: (p) =>
    t(
      `字段类型“${p.type}”由插件“${p.plugin}”提供，但该插件没有提供网页模块，网页无法检查此项；保存时由服务器检查`,
      `Field type "${p.type}" comes from plugin "${p.plugin}", which has no browser module: the page cannot check this value; the server checks it on saving`,
    ),
  NX_ERR_VALUE_PHONE: (p) =>
    p.kind === 'mobile'
      ? t('请输入 11 位手机号码', 'Enter an 11-digit mobile number')
      : p.kind === 'landline'
        ? t('请输入带区号的固定电话，如 028-12345678', 'Enter a landline with area code, e.g. 028-12345678')
        : valueCodes.NX_ERR_VALUE_PHONE.message,
};

const LEVEL_ZH: Record<string, string> = {
  province: '省',
  city: '市（州）',
  county: '县（市、区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};

const FALLBACK: Text = valueCodes.NX_ERR_VALUE_CONSTRAINT.message;

export function valueMessage(code: string, params: Params | undefined): Text {
  const tpl = TEMPLATES[code];
  if (tpl && params) return tpl(params);
  return (valueCodes as Record<string, { message: Text }>)[code]?.message ?? FALLBACK;
}

export function valueError(path: string, code: string, params?: Params): ValidationError {
  return { path, code, message: valueMessage(code, params), params: params ?? {} };
}

/** The error of a field type's failed check: its own message when it gives one (a plugin's type). */
export function checkError(
  path: string,
  fail: { code: string; params?: Params; message?: Text },
): ValidationError {
  return fail.message
    ? { path, code: fail.code, message: fail.message, params: fail.params ?? {} }
    : valueError(path, fail.code, fail.params);
}
