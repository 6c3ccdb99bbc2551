import type { CodeInfo } from './codes.ts';

const v = (zh: string, en: string): CodeInfo => ({ status: 422, message: { 'zh-CN': zh, en } });

/**
 * Error codes for submission values (runtime validation). Each message tells the person filling
 * the form how to fix the value; the runtime fills in limits (min, max …) where they apply.
 */
export const valueCodes = {
  NX_ERR_VALUE_NOT_OBJECT: v(
    '提交的数据必须是一个对象（键为字段标识）',
    'Submit the data as an object keyed by field id',
  ),
  NX_ERR_VALUE_REQUIRED: v('此项必填，请填写', 'This field is required; please fill it in'),
  NX_ERR_VALUE_TYPE: v(
    '格式不正确，请按字段类型填写',
    'Wrong kind of value; enter a value of the field’s type',
  ),
  NX_ERR_VALUE_MIN: v('数值过小，请填写不小于下限的值', 'Too small; enter a value at or above the minimum'),
  NX_ERR_VALUE_MAX: v('数值过大，请填写不大于上限的值', 'Too large; enter a value at or below the maximum'),
  NX_ERR_VALUE_MIN_LENGTH: v('内容过短，请补充', 'Too short; enter more characters'),
  NX_ERR_VALUE_MAX_LENGTH: v('内容过长，请精简', 'Too long; shorten the text'),
  NX_ERR_VALUE_PATTERN: v('格式不符合要求，请检查', 'Does not match the required format; please check it'),
  NX_ERR_VALUE_OPTION: v('请从给定选项中选择', 'Choose one of the listed options'),
  NX_ERR_VALUE_DUPLICATE: v('选项不能重复勾选', 'Tick each option only once'),
  NX_ERR_VALUE_MIN_ITEMS: v(
    '勾选项过少，请至少勾选规定数量',
    'Too few ticked; tick at least the minimum number',
  ),
  NX_ERR_VALUE_MAX_ITEMS: v('勾选项过多，请减少勾选', 'Too many ticked; untick some'),
  NX_ERR_VALUE_IDCARD_FORMAT: v('请输入 18 位身份证号码', 'Enter an 18-digit ID number'),
  NX_ERR_VALUE_IDCARD_CHECKSUM: v(
    '身份证号码校验位不正确，请核对每一位',
    'The ID number’s check digit is wrong; check every digit',
  ),
  NX_ERR_VALUE_IDCARD_BIRTHDATE: v(
    '身份证号码中的出生日期无效，请核对第 7–14 位',
    'The birth date in the ID number is invalid; check digits 7–14',
  ),
  NX_ERR_VALUE_PHONE: v(
    '请输入 11 位手机号码或带区号的固定电话',
    'Enter an 11-digit mobile number or a landline with area code',
  ),
  NX_ERR_VALUE_DATE: v('请输入有效日期，格式为 YYYY-MM-DD', 'Enter a real date as YYYY-MM-DD'),
  NX_ERR_VALUE_ORGUNIT: v(
    '请输入 6、9 或 12 位行政区划代码',
    'Enter a 6-, 9- or 12-digit administrative division code',
  ),
  NX_ERR_VALUE_FILE_TYPE: v(
    '文件类型不允许，请换一种格式',
    'This kind of file is not allowed; use an accepted type',
  ),
  NX_ERR_VALUE_FILE_SIZE: v(
    '文件过大，请压缩后再上传',
    'The file is too large; make it smaller and upload again',
  ),
  NX_ERR_VALUE_MIN_FILES: v('文件数量不足，请补充上传', 'Too few files; upload more'),
  NX_ERR_VALUE_MAX_FILES: v('文件数量过多，请删除多余的文件', 'Too many files; remove some'),
  NX_ERR_VALUE_DUPLICATE_FILE: v('同一文件不能重复添加', 'The same file is attached twice; remove the copy'),
  NX_ERR_VALUE_GEOPOINT: v(
    '位置无效：纬度 -90～90，经度 -180～180，精度不小于 0',
    'Invalid location: latitude -90 to 90, longitude -180 to 180, accuracy 0 or more',
  ),
  NX_ERR_VALUE_GEO_ACCURACY: v(
    '定位精度不够，请到开阔处重新定位',
    'The location is not accurate enough; locate again in the open',
  ),
  NX_ERR_VALUE_MIN_ROWS: v('行数不足，请添加', 'Too few rows; add more'),
  NX_ERR_VALUE_MAX_ROWS: v('行数过多，请删除多余的行', 'Too many rows; remove some'),
  NX_ERR_VALUE_TOO_MANY_ERRORS: v(
    '错误太多，只列出了前面一部分；请先改正这些再提交',
    'Too many errors: only the first ones are listed; correct them and submit again',
  ),
  NX_ERR_VALUE_RULE_FAILED: v(
    '有一条校验规则无法计算，请检查填写内容，或联系管理员',
    'A rule of this form could not be computed; check the entries or contact the administrator',
  ),
  NX_ERR_VALUE_CONSTRAINT: v('填写的内容不符合校验规则', 'The value does not satisfy a check of this form'),
  NX_ERR_VALUE_NOT_CHECKED_HERE: v(
    '此字段的类型由插件提供，但插件没有提供网页模块，网页无法检查此项；保存时由服务器检查',
    'A plugin provides this field’s type without a browser module, so the page cannot check it; the server checks it on saving',
  ),
} satisfies Record<string, CodeInfo>;
