import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { definePlugin, type EffectContext, type PluginDefinition } from '../../engine/entry/plugin.ts';
import { type Database, requireRole } from '../../engine/entry/server.ts';
import { BUILT_IN } from '../built-in.ts';
import { OUTBOX_MIGRATIONS, outboxDb } from './outbox-table.ts';
import { createSmsRenderer, DEFAULT_TEMPLATE, isMobile } from './render.ts';

export { OUTBOX_MIGRATIONS, type SmsOutboxTable } from './outbox-table.ts';

export { createSmsRenderer, DEFAULT_TEMPLATE, isMobile, type SmsRenderer } from './render.ts';

/** One queued text message; a sender (outside the engine) picks these up. */
export interface OutboxMessage {
  readonly to: string;
  readonly body: string;
  readonly truncated: boolean;
  readonly submissionId?: string;
  readonly orgCode?: string;
  readonly orgPath?: string;
  /** ISO 8601 instant of the transition that queued it. */
  readonly createdAt: string;
}

/** Where messages go when no database is at hand (tests, a workflow run without a store). */
export interface OutboxStore {
  add(message: OutboxMessage): void | Promise<void>;
}

/** Writes a message to `sms_outbox`; with the transition's transaction it commits or rolls back with it. */
export async function addToOutbox(db: Kysely<Database>, m: OutboxMessage): Promise<string> {
  const id = randomUUID();
  await outboxDb(db)
    .insertInto('sms_outbox')
    .values({
      id,
      to_number: m.to,
      body: m.body,
      truncated: m.truncated ? 1 : 0,
      submission_id: m.submissionId ?? null,
      org_code: m.orgCode ?? null,
      org_path: m.orgPath ?? null,
      created_at: m.createdAt,
      sent_at: null,
    })
    .execute();
  return id;
}

/** `GET /api/plugins/sms-outbox/messages`: the queued texts of the caller's subtree (admin, reviewer). */
const messageRoutes: FastifyPluginAsync = async (app) => {
  app.get('/messages', async (req) => {
    const p = requireRole(req, 'admin', 'reviewer');
    const rows = await outboxDb(app.nuanxin.db)
      .selectFrom('sms_outbox')
      .selectAll()
      .where('org_path', 'like', `${p.orgPath}%`)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        to: r.to_number,
        body: r.body,
        truncated: r.truncated === 1,
        submissionId: r.submission_id,
        orgCode: r.org_code,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      })),
    };
  });
};

export function createMemoryOutbox(): OutboxStore & { readonly messages: OutboxMessage[] } {
  const messages: OutboxMessage[] = [];
  return {
    messages,
    add(m) {
      messages.push(m);
    },
  };
}

export const SmsOutboxConfig = Type.Object(
  {
    signature: Type.String({
      minLength: 1,
      default: '【暖心】',
      description: 'Sender signature at the start of each text',
    }),
    hotline: Type.String({ minLength: 1, default: '12345', description: 'Number a family can call' }),
    template: Type.String({ minLength: 1, default: DEFAULT_TEMPLATE, description: 'Handlebars, plain text' }),
    maxLength: Type.Integer({ minimum: 20, maximum: 500, default: 200 }),
    phoneField: Type.String({
      default: 'phone',
      description: 'Field of the submission holding the mobile number',
    }),
  },
  { additionalProperties: false },
);

/**
 * The example plugin: on approval, a workflow runs the effect `sms-outbox.notify`, which renders
 * a notice for the household (幸福清单 by text) and writes it to an outbox — it never sends.
 */
export function createSmsOutboxPlugin(opts: { store?: OutboxStore } = {}) {
  const memory = opts.store ?? createMemoryOutbox();
  return definePlugin({
    name: 'sms-outbox',
    ...BUILT_IN,
    config: SmsOutboxConfig,
    description: {
      'zh-CN': '审批通过后生成短信通知（写入待发箱）',
      en: 'Queues an SMS notice per household on approval',
    },
    setup(api) {
      const cfg = api.config;
      const renderer = createSmsRenderer(cfg.template, cfg.maxLength);
      for (const [name, m] of Object.entries(OUTBOX_MIGRATIONS)) api.migrations.register(name, m);
      api.routes.register(messageRoutes);
      // For dependants (e.g. payments' paid-line notices): queue in the caller's transaction.
      api.services.provide({ addToOutbox, signature: cfg.signature, hotline: cfg.hotline });
      api.effects.register({
        name: 'sms-outbox.notify',
        description: 'Renders the notice for the household and queues it in the outbox',
        async run(ctx: EffectContext) {
          const data = ctx.submission.data;
          const to = data[cfg.phoneField];
          if (!isMobile(to)) return { queued: false, reason: 'no mobile number' };
          const { text, truncated } = renderer.render({
            ...data,
            ...ctx.input,
            ...(ctx.params ?? {}),
            signature: cfg.signature,
            hotline: cfg.hotline,
          });
          const message: OutboxMessage = {
            to,
            body: text,
            truncated,
            createdAt: ctx.now,
            ...(ctx.submission.id !== undefined ? { submissionId: ctx.submission.id } : {}),
            ...(ctx.submission.orgUnit !== undefined ? { orgCode: ctx.submission.orgUnit } : {}),
            ...(ctx.instance?.caseOrgPath?.length
              ? { orgPath: `/${ctx.instance.caseOrgPath.join('/')}/` }
              : {}),
          };
          // The table when the store runs the workflow (same transaction); an injected store wins (tests).
          const db = opts.store ? undefined : ctx.db;
          if (db) {
            const id = await addToOutbox(db, message);
            return { queued: true, to, length: [...text].length, messageId: id };
          }
          await memory.add(message);
          return { queued: true, to, length: [...text].length };
        },
      });
    },
  }) satisfies PluginDefinition<typeof SmsOutboxConfig>;
}

export default createSmsOutboxPlugin();
