import { Type } from '@sinclair/typebox';
import { definePlugin, type EffectContext, type PluginDefinition } from '../../engine/index.ts';
import { createSmsRenderer, DEFAULT_TEMPLATE, isMobile } from './render.ts';

export { createSmsRenderer, DEFAULT_TEMPLATE, isMobile, type SmsRenderer } from './render.ts';

/** One queued text message; a sender (outside the engine) picks these up. */
export interface OutboxMessage {
  readonly to: string;
  readonly body: string;
  readonly truncated: boolean;
  readonly submissionId?: string;
  readonly orgCode?: string;
  /** ISO 8601 instant of the transition that queued it. */
  readonly createdAt: string;
}

/** Where messages go: a table once the store is wired in; memory until then and in tests. */
export interface OutboxStore {
  add(message: OutboxMessage): void | Promise<void>;
}

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
  const store = opts.store ?? createMemoryOutbox();
  return definePlugin({
    name: 'sms-outbox',
    version: '0.1.0',
    engine: '^0.1.0',
    config: SmsOutboxConfig,
    description: {
      'zh-CN': '审批通过后生成短信通知（写入待发箱）',
      en: 'Queues an SMS notice per household on approval',
    },
    setup(api) {
      const cfg = api.config;
      const renderer = createSmsRenderer(cfg.template, cfg.maxLength);
      if (!opts.store) api.log.warn('no outbox store given: messages are kept in memory');
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
          };
          await store.add(message);
          return { queued: true, to, length: [...text].length };
        },
      });
    },
  }) satisfies PluginDefinition<typeof SmsOutboxConfig>;
}

export default createSmsOutboxPlugin();
