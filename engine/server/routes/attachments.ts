import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { tooLarge } from '../../attachments/receive.ts';
import { UPLOAD_TYPES } from '../../attachments/sniff.ts';
import { WRITER_ROLES } from '../../auth/roles.ts';
import { attachmentError } from '../../errors/codes-attachment.ts';
import { AttachmentRef } from '../../runtime/field-types/attachment-ref.ts';
import { requireRole, who } from '../principal-hook.ts';
import { errorResponses } from '../schemas.ts';

const Ref = Type.Object(AttachmentRef.properties, { additionalProperties: false });
const Refused = Type.Ref('ErrorBody');

/**
 * `POST /api/attachments` takes the raw bytes of one file (Content-Type its MIME type, `?name=`
 * its file name) as a stream: never read whole into memory, refused with 413 as soon as it grows
 * past the limit. `GET /api/attachments/:id` streams it back to those who may read it.
 */
export const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { attachments } = app.nuanxin;
  // Only in this plugin's context: the body of an upload is handed over as the request stream.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.post(
    '/api/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: '上传附件 / upload one file as the raw body; the same content always gets the same id',
        description: `Content-Type: one of ${UPLOAD_TYPES.join(', ')}. The answer is the reference to put in a photo, file or signature field. 201 when stored now, 200 when the content was stored already (a retry stores nothing twice). Larger than the server's limit: 413 NX_ERR_ATTACHMENT_TOO_LARGE, while streaming.`,
        querystring: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        response: { 200: Ref, 201: Ref, 413: Refused, 415: Refused, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, ...WRITER_ROLES);
      const type =
        String(request.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim()
          .toLowerCase() ?? '';
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > attachments.maxBytes) {
        // Known too large before a byte is read: refused at once, and the connection closed
        // so that the rest of the body is not received for nothing.
        reply.header('connection', 'close');
        throw attachmentError('NX_ERR_ATTACHMENT_TOO_LARGE', [tooLarge(attachments.maxBytes)]);
      }
      const source = (request.body as Readable | undefined) ?? request.raw;
      try {
        const r = await attachments.upload(p, source, { type, name: request.query.name ?? 'upload' });
        if (!r.created) reply.header('idempotent-replayed', 'true');
        return reply.status(r.created ? 201 : 200).send(r.ref);
      } catch (err) {
        // The rest of a refused body is not read: the connection ends after the answer.
        if (!source.readableEnded) reply.header('connection', 'close');
        logStoreFailure(request, err);
        throw err;
      }
    },
  );

  app.get(
    '/api/attachments/:id',
    {
      schema: {
        tags: ['attachments'],
        summary:
          '读取附件 / the file, for its uploader or those whose subtree holds a submission referencing it',
        description:
          'A file referenced from a personal field (ID card photo, signature) needs the pii permission: 403 NX_ERR_ATTACHMENT_PII. Unknown or out of scope: 404.',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = who(request);
      const d = await attachments.read(p, request.params.id).catch((err: unknown) => {
        logStoreFailure(request, err);
        throw err;
      });
      const inline = d.ref.type.startsWith('image/');
      reply
        .header('content-type', d.ref.type)
        .header('content-length', String(d.ref.size))
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header(
          'content-disposition',
          `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(d.ref.name)}`,
        );
      return reply.send(d.content);
    },
  );
};

/** The store's own reason behind a 503 NX_ERR_ATTACHMENT_STORE, for the operator (no request data). */
function logStoreFailure(request: FastifyRequest, err: unknown): void {
  const reason = (err as { storeReason?: string }).storeReason;
  if (reason) request.log.error({ store: reason }, 'attachment store failed');
}
