import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-attachment.json' with { type: 'json' };
import { type ErrorDetail, NxError } from './nx-error.ts';

/** Error codes of uploads and downloads of attachments (photos, documents, signatures). */
export const attachmentCodes = codeCatalogue(catalogue, 'engine/errors/codes-attachment.json');

export type AttachmentCode = keyof typeof attachmentCodes;

export function attachmentError(code: AttachmentCode, errors?: ErrorDetail[]): NxError {
  const info = attachmentCodes[code];
  return new NxError(code, info.status, info.message, errors);
}
