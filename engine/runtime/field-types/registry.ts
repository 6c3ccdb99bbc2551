import { NxError } from '../../errors/nx-error.ts';
import { MapRegistry } from '../../map-registry.ts';
import { fileType, photoType, signatureType } from './attachment.ts';
import { booleanType } from './boolean.ts';
import { dateType } from './date.ts';
import { geopointType } from './geopoint.ts';
import { idcardType } from './idcard.ts';
import { integerType } from './integer.ts';
import { moneyType } from './money.ts';
import { multiselectType } from './multiselect.ts';
import { numberType } from './number.ts';
import { orgunitType } from './orgunit.ts';
import { phoneType } from './phone.ts';
import { selectType } from './select.ts';
import { textType } from './text.ts';
import { textareaType } from './textarea.ts';
import type { FieldTypeDefinition } from './types.ts';

/** Field types by name; `table` and `group` are structural and belong to the form compiler. */
export interface FieldTypeRegistry {
  register(type: FieldTypeDefinition): void;
  get(name: string): FieldTypeDefinition | undefined;
  has(name: string): boolean;
  names(): string[];
  /** A copy that can be extended without changing this one. */
  fork(): FieldTypeRegistry;
}

export const BUILTIN_FIELD_TYPES: readonly FieldTypeDefinition[] = [
  textType,
  textareaType,
  integerType,
  numberType,
  moneyType,
  dateType,
  selectType,
  multiselectType,
  booleanType,
  phoneType,
  idcardType,
  orgunitType,
  photoType,
  fileType,
  signatureType,
  geopointType,
];

const STRUCTURAL = new Set(['table', 'group']);

/** A field type the registry can take: a name that is not structural, and a compile function. */
function checkFieldType(type: FieldTypeDefinition): void {
  if (typeof type.name !== 'string' || STRUCTURAL.has(type.name) || typeof type.compile !== 'function') {
    throw new NxError('NX_ERR_RUNTIME_BAD_FIELD_TYPE', 500, {
      'zh-CN': `字段类型“${String(type.name)}”无效：需要名称和 compile 函数，且不能是 table 或 group`,
      en: `Invalid field type "${String(type.name)}": it needs a name and a compile function, and may not be table or group`,
    });
  }
}

/** A new registry holding the built-in scalar types; plugins register more into it or a fork. */
export function createFieldTypeRegistry(): FieldTypeRegistry {
  const reg = new MapRegistry(checkFieldType);
  for (const t of BUILTIN_FIELD_TYPES) reg.register(t);
  return reg;
}
