import { Type } from '@sinclair/typebox';
import { definePlugin, type PluginDefinition } from '../../engine/entry/plugin.ts';
import type { Clock } from '../../engine/entry/server.ts';
import { BUILT_IN } from '../built-in.ts';
import type { BenefitsService, OutboxService } from './benefits-contract.ts';
import { PAYMENTS_CODES } from './errors.ts';
import { BATCH_LINES_SOURCE, batchLineItems, type ReportSourcesService } from './report-sources.ts';
import { paymentRoutes } from './routes.ts';
import { PAYMENTS_MIGRATIONS } from './tables.ts';

export * from './bank-export.ts';
export * from './bank-file.ts';
export * from './batches.ts';
export * from './benefits-contract.ts';
export * from './card-accounts.ts';
export * from './errors.ts';
export * from './reconciliation.ts';
export * from './report-sources.ts';
export * from './return-file.ts';
export * from './roles.ts';
export * from './routes.ts';
export * from './tables.ts';

export const PaymentsConfig = Type.Object(
  {
    agentBanks: Type.Array(
      Type.Object(
        {
          county: Type.String({ pattern: '^\\d{6}$', description: 'County code (GB/T 2260)' }),
          code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'Short code of the bank' }),
          name: Type.String({ minLength: 1, maxLength: 60, description: '代理金融机构名称' }),
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'The agent bank of each county: a batch is addressed to its county’s bank, and only bank users of that county (or above) see it once finance approved it',
      },
    ),
  },
  { additionalProperties: false },
);

/**
 * The payments plugin: monthly batches per county from the benefits payable, finance's decision
 * on the whole batch, the bank file and the bank's return file, reconciliation, carrying failed
 * lines to a later batch, the social-security card accounts kept by 人社, and a text per paid
 * line through the sms-outbox plugin. Writes are stamped with the app's clock (`clock` overrides it).
 */
export function createPaymentsPlugin(opts: { clock?: Clock } = {}) {
  return definePlugin({
    name: 'payments',
    ...BUILT_IN,
    // benefits: what is payable; sms-outbox: the paid-line notice; report: the batch-lines source.
    dependsOn: ['benefits', 'sms-outbox', 'report'],
    config: PaymentsConfig,
    errors: PAYMENTS_CODES,
    description: {
      'zh-CN': '资金发放：按县按月生成发放批次、财政审核、银行代发与回盘对账、社保卡账户（人社）',
      en: 'Payments: monthly batches per county, finance approval, bank file and return file, reconciliation, card accounts',
    },
    setup(api) {
      for (const [name, m] of Object.entries(PAYMENTS_MIGRATIONS)) api.migrations.register(name, m);
      const benefits = api.services.use<BenefitsService>('benefits');
      const outbox = api.services.use<OutboxService>('sms-outbox');
      api.services.use<ReportSourcesService>('report').provideSource({
        name: BATCH_LINES_SOURCE,
        items: (db, q) => batchLineItems(db, q),
      });
      api.routes.mount(
        'payments',
        paymentRoutes({
          benefits: () => benefits,
          outbox: () => outbox,
          banks: api.config.agentBanks,
          ...(opts.clock ? { clock: opts.clock } : {}),
        }),
      );
    },
  }) satisfies PluginDefinition<typeof PaymentsConfig>;
}

export default createPaymentsPlugin();
