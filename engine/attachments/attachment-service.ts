import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { writeAudit } from '../audit/audit.ts';
import { canSeePii, type Principal } from '../auth/principal.ts';
import { attachmentError } from '../errors/codes-attachment.ts';
import { notFound } from '../errors/domain-errors.ts';
import type { AttachmentRef } from '../runtime/field-types/attachment-ref.ts';
import { type Clock, systemClock } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';
import { writeTransaction } from '../store/write-transaction.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { receive } from './receive.ts';
import { contentMatches, UPLOAD_TYPES } from './sniff.ts';

/** Largest upload the server takes by default (bytes); `attachments.maxBytes` changes it. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface Upload {
  readonly ref: AttachmentRef;
  /** False when the same content was stored already (a retry, or another upload of the file). */
  readonly created: boolean;
}

export interface Download {
  readonly ref: AttachmentRef;
  readonly content: Readable;
}

/**
 * Uploads and downloads of attachments: contents in the store, facts in the database, each
 * upload and read audited. Reading follows the submissions: the uploader, or a user whose subtree
 * holds a live submission referencing the file; a file referenced from a personal field (an ID
 * card photo, a signature) needs `pii` as well.
 */
export class AttachmentService {
  constructor(
    private readonly db: Kysely<Database>,
    readonly store: AttachmentStore,
    readonly maxBytes: number = DEFAULT_MAX_ATTACHMENT_BYTES,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Streams an upload into the store; the same content twice is stored once and gets the same id. */
  async upload(who: Principal, source: Readable, meta: { type: string; name: string }): Promise<Upload> {
    if (!UPLOAD_TYPES.includes(meta.type)) throw attachmentError('NX_ERR_ATTACHMENT_TYPE');
    const got = await receive(source, { tempDir: this.store.tempDir, maxBytes: this.maxBytes });
    if (!contentMatches(meta.type, got.head)) {
      await import('node:fs/promises').then((fs) => fs.unlink(got.tempFile)).catch(() => undefined);
      throw attachmentError('NX_ERR_ATTACHMENT_TYPE_MISMATCH');
    }
    let stored: { created: boolean };
    try {
      stored = await this.store.save(got.tempFile, got.id, got.size);
    } catch (err) {
      throw storeFailure(err);
    }
    const now = this.clock();
    const ref: AttachmentRef = { id: got.id, name: meta.name, type: meta.type, size: got.size };
    const type = await writeTransaction(this.db, async (trx) => {
      await trx
        .insertInto('attachments')
        .values({ id: got.id, type: meta.type, size: got.size, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await trx
        .insertInto('attachment_uploads')
        .values({
          attachment_id: got.id,
          username: who.username,
          org_path: who.orgPath,
          name: meta.name,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['attachment_id', 'username']).doUpdateSet({ created_at: now }))
        .execute();
      await writeAudit(trx, {
        at: now,
        actor: who.username,
        action: 'attachment.upload',
        entityType: 'attachment',
        entityId: got.id,
        orgPath: who.orgPath,
        after: { type: meta.type, size: got.size, stored: stored.created },
      });
      const row = await trx
        .selectFrom('attachments')
        .select('type')
        .where('id', '=', got.id)
        .executeTakeFirstOrThrow();
      return row.type;
    });
    return { ref: { ...ref, type }, created: stored.created };
  }

  /** The content for `who`, after the checks of the class comment (404 for what they may not know of). */
  async read(who: Principal, id: string): Promise<Download> {
    const row = await this.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    const refs = await this.db
      .selectFrom('attachment_refs as r')
      .innerJoin('submissions as s', 's.id', 'r.submission_id')
      .select(['r.pii', 's.org_path'])
      .where('r.attachment_id', '=', id)
      .where('s.deleted_at', 'is', null)
      .execute();
    const inScope = refs.filter((r) => r.org_path.startsWith(who.orgPath));
    const upload = await this.db
      .selectFrom('attachment_uploads')
      .select(['name'])
      .where('attachment_id', '=', id)
      .where('username', '=', who.username)
      .executeTakeFirst();
    if (inScope.length === 0 && !upload) throw notFound();
    const personal = (upload ? refs : inScope).some((r) => Number(r.pii) === 1);
    if (personal && !canSeePii(who)) {
      await this.audit(who, id, 'attachment.read_refused');
      throw attachmentError('NX_ERR_ATTACHMENT_PII');
    }
    let content: Readable | null;
    try {
      content = await this.store.open(id);
    } catch (err) {
      throw storeFailure(err);
    }
    if (!content) throw notFound();
    const name =
      upload?.name ??
      (
        await this.db
          .selectFrom('attachment_uploads')
          .select('name')
          .where('attachment_id', '=', id)
          .orderBy('created_at')
          .executeTakeFirst()
      )?.name ??
      id;
    await this.audit(who, id, 'attachment.read');
    return { ref: { id, name, type: row.type, size: Number(row.size) }, content };
  }

  private async audit(who: Principal, id: string, action: string): Promise<void> {
    await writeAudit(this.db, {
      at: this.clock(),
      actor: who.username,
      action,
      entityType: 'attachment',
      entityId: id,
      orgPath: who.orgPath,
    });
  }
}

/**
 * 503 NX_ERR_ATTACHMENT_STORE, with the store's own reason (name, code, message) for the log. Not
 * as `cause`: the error handler reads a cause as the database's failure.
 */
function storeFailure(err: unknown): Error {
  const c = err as { name?: string; code?: string; message?: string };
  return Object.assign(attachmentError('NX_ERR_ATTACHMENT_STORE'), {
    storeReason: `${c?.name ?? 'Error'}${c?.code && c.code !== c.name ? ` ${c.code}` : ''}: ${c?.message ?? String(err)}`,
  });
}

/**
 * Removes contents that no submission references and whose every upload is older than `cutoff`
 * (rows first, in one statement that checks again, then the files). Returns how many. A file the
 * store fails to remove does not stop the others; the run then fails naming how many stayed
 * (the housekeeping logs it), since their rows are gone.
 */
export async function removeStaleAttachments(
  db: Kysely<Database>,
  store: AttachmentStore,
  cutoff: string,
): Promise<number> {
  const ids = await writeTransaction(db, async (trx) => {
    const rows = await trx
      .deleteFrom('attachments')
      .where((eb) =>
        eb.and([
          eb('attachments.created_at', '<', cutoff),
          eb.not(
            eb.exists(
              eb
                .selectFrom('attachment_refs')
                .select('attachment_refs.attachment_id')
                .whereRef('attachment_refs.attachment_id', '=', 'attachments.id'),
            ),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('attachment_uploads')
                .select('attachment_uploads.attachment_id')
                .whereRef('attachment_uploads.attachment_id', '=', 'attachments.id')
                .where('attachment_uploads.created_at', '>=', cutoff),
            ),
          ),
        ]),
      )
      .returning('id')
      .execute();
    const gone = rows.map((r) => r.id);
    if (gone.length > 0)
      await trx.deleteFrom('attachment_uploads').where('attachment_id', 'in', gone).execute();
    return gone;
  });
  const failed: { id: string; err: unknown }[] = [];
  for (const id of ids) await store.remove(id).catch((err: unknown) => failed.push({ id, err }));
  if (failed.length > 0) {
    const first = failed[0] as { id: string; err: { name?: string; message?: string } };
    throw new Error(
      `attachment store (${store.kind}): ${failed.length} of ${ids.length} stale contents could not be removed and stay in the store without rows (${failed
        .slice(0, 5)
        .map((f) => f.id)
        .join(
          ', ',
        )}); first error: ${first.err?.name ?? 'Error'}: ${first.err?.message ?? String(first.err)}`,
    );
  }
  return ids.length;
}
