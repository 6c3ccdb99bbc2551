import type { CodeInfo } from './codes.ts';
import { type ErrorDetail, NxError } from './nx-error.ts';

const c = (status: number, zh: string, en: string): CodeInfo => ({ status, message: { 'zh-CN': zh, en } });

/** Error codes of uploads and downloads of attachments (photos, documents, signatures). */
export const attachmentCodes = {
  NX_ERR_ATTACHMENT_TOO_LARGE: c(
    413,
    '文件超过服务器允许的大小，已停止接收；请压缩照片或拆分文件后重新上传',
    'The file is larger than the server accepts and was refused while it was being sent; make the photo smaller or split the file, then upload again',
  ),
  NX_ERR_ATTACHMENT_TYPE: c(
    415,
    '不接受这种文件类型；请上传 JPEG、PNG、WebP 图片或 PDF 文件',
    'This kind of file is not accepted; upload a JPEG, PNG or WebP image or a PDF',
  ),
  NX_ERR_ATTACHMENT_TYPE_MISMATCH: c(
    415,
    '文件内容与声明的类型不符（例如扩展名被改过）；请上传原始文件',
    'The content does not match the declared type (a renamed file?); upload the original file',
  ),
  NX_ERR_ATTACHMENT_EMPTY: c(400, '文件为空，请重新选择', 'The file is empty; choose it again'),
  NX_ERR_ATTACHMENT_ABORTED: c(
    400,
    '上传中断，文件未保存；请重新上传（同一文件只会保存一次）',
    'The upload was cut off and nothing was stored; upload again (the same file is stored only once)',
  ),
  NX_ERR_ATTACHMENT_PII: c(
    403,
    '该附件是个人信息（证件照片或签字），您没有查看个人信息的权限',
    'This attachment is personal data (an ID photo or a signature) and you lack the pii permission',
  ),
  NX_ERR_ATTACHMENT_UNKNOWN: c(
    422,
    '引用的附件不存在、与上传的类型或大小不符，或不是您可以使用的文件；请重新上传后再提交',
    'The referenced attachment does not exist, differs in type or size from the upload, or is not yours to attach; upload it again and resubmit',
  ),
  NX_ERR_ATTACHMENT_STORE: c(
    503,
    '附件存储暂时不可用，文件未保存；请稍后重试',
    'The attachment store is unavailable right now and nothing was stored; try again later',
  ),
  NX_ERR_ATTACHMENT_STORE_CONFIG: c(
    500,
    '附件存储的配置有误（nuanxin.config.json 的 attachments 或 NUANXIN_S3_* 环境变量），服务未启动；请按提示改正',
    'The attachment store is misconfigured (attachments in nuanxin.config.json, or the NUANXIN_S3_* environment); fix what is listed and start again',
  ),
} satisfies Record<string, CodeInfo>;

export type AttachmentCode = keyof typeof attachmentCodes;

export function attachmentError(code: AttachmentCode, errors?: ErrorDetail[]): NxError {
  const info = attachmentCodes[code];
  return new NxError(code, info.status, info.message, errors);
}
