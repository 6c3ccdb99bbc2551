import type { Kysely, Migration } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';

/** The outbox: one row per queued text. A sender outside the engine sends them and sets `sent_at`. */
export type SmsOutboxTable = {
  id: string;
  to_number: string;
  body: string;
  /** 1 when the text was cut to the configured length. */
  truncated: number;
  submission_id: string | null;
  org_code: string | null;
  /** Materialised path of the case's unit, so a reader sees only its own subtree's messages. */
  org_path: string | null;
  created_at: string;
  sent_at: string | null;
};

export type OutboxDb = Kysely<Database & { sms_outbox: SmsOutboxTable }>;

export const outboxDb = (db: Kysely<Database>): OutboxDb => db.withTables<{ sms_outbox: SmsOutboxTable }>();

export const OUTBOX_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_outbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sms_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('to_number', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('truncated', 'integer', (c) => c.notNull())
        .addColumn('submission_id', 'text')
        .addColumn('org_code', 'text')
        .addColumn('org_path', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema
        .createIndex('sms_outbox_unsent')
        .on('sms_outbox')
        .columns(['sent_at', 'created_at'])
        .execute();
    },
  },
};
