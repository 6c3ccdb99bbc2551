import { Type } from '@sinclair/typebox';
import { FileField, PhotoField, SignatureField } from '../../definition/form-schema.ts';
import { ATTACHMENT_DEFAULTS, type AttachmentRef, asAttachmentRef, mimeAllowed } from './attachment-ref.ts';
import { fail, TYPE } from './common.ts';
import type { CheckResult, FieldSpec, FieldTypeDefinition } from './types.ts';

function limits(field: FieldSpec, kind: keyof typeof ATTACHMENT_DEFAULTS) {
  const d = ATTACHMENT_DEFAULTS[kind];
  const accept = Array.isArray(field.accept) ? (field.accept as string[]) : d.accept;
  const maxSize = typeof field.maxSize === 'number' ? field.maxSize : d.maxSize;
  return { accept, maxSize };
}

/** One reference checked against the field's types and size; the error carries the item's index. */
function checkRef(
  raw: unknown,
  accept: readonly string[],
  maxSize: number,
  index: number | undefined,
): AttachmentRef | CheckResult {
  const at = index === undefined ? {} : { index };
  const ref = asAttachmentRef(raw);
  if (!ref) return fail(TYPE, { expected: 'attachment', ...at });
  if (!mimeAllowed(accept, ref.type))
    return fail('NX_ERR_VALUE_FILE_TYPE', { accept, type: ref.type, ...at });
  if (ref.size > maxSize) return fail('NX_ERR_VALUE_FILE_SIZE', { maxSize, size: ref.size, ...at });
  return ref;
}

const isRef = (r: AttachmentRef | CheckResult): r is AttachmentRef =>
  typeof (r as AttachmentRef).id === 'string';

/** `photo` and `file`: a list of references (one reference alone counts as a list of one). */
function listType(
  kind: 'photo' | 'file',
  description: string,
  schema: typeof PhotoField,
): FieldTypeDefinition {
  return {
    name: kind,
    description,
    options: Type.Pick(schema, ['accept', 'maxSize', 'minCount', 'maxCount']),
    compile(field) {
      const { accept, maxSize } = limits(field, kind);
      const minCount = typeof field.minCount === 'number' ? field.minCount : 0;
      const maxCount = typeof field.maxCount === 'number' ? field.maxCount : 1;
      return (raw) => {
        const list: unknown[] = Array.isArray(raw) ? raw : [raw];
        if (list.length > maxCount) return fail('NX_ERR_VALUE_MAX_FILES', { maxCount });
        const out: AttachmentRef[] = [];
        for (let i = 0; i < list.length; i++) {
          const r = checkRef(list[i], accept, maxSize, i);
          if (!isRef(r)) return r;
          if (out.some((o) => o.id === r.id)) return fail('NX_ERR_VALUE_DUPLICATE_FILE', { index: i });
          out.push(r);
        }
        if (out.length < minCount) return fail('NX_ERR_VALUE_MIN_FILES', { minCount });
        return { value: out };
      };
    },
  };
}

export const photoType = listType('photo', 'Photos: attachment references to images', PhotoField);
export const fileType = listType(
  'file',
  'Documents: attachment references',
  FileField as unknown as typeof PhotoField,
);

/** `signature`: one reference to a PNG drawn on the screen. */
export const signatureType: FieldTypeDefinition = {
  name: 'signature',
  description: 'A signature drawn on the screen: one attachment reference to a PNG',
  options: Type.Pick(SignatureField, ['accept', 'maxSize']),
  compile(field) {
    const { accept, maxSize } = limits(field, 'signature');
    return (raw) => {
      const r = checkRef(Array.isArray(raw) && raw.length === 1 ? raw[0] : raw, accept, maxSize, undefined);
      return isRef(r) ? { value: r } : r;
    };
  },
};
