import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { getUserByName } from '../engine/auth/credentials.ts';
import type { Database, Principal } from '../engine/entry/server.ts';
import { NxError } from '../engine/index.ts';
import type { AgentBank, BenefitsService, OutboxService } from '../plugins/payments/index.ts';
import { configuredPlugins, openWithPlugins } from './plugins.ts';

/**
 * What the `payments` sub-commands share: the database migrated for the configured plugins, the
 * services the payments plugin runs on (benefits, sms-outbox) and its declared agent banks, all
 * from the configuration `nuanxin start` uses, and the user the command acts as (`--as`,
 * required: generating, approving and paying are different parties' acts).
 */

export interface PaymentsOptions {
  db?: string;
  config?: string;
  as: string;
  pii?: boolean;
}

export interface PaymentsContext {
  db: Kysely<Database>;
  /** The user, with `pii` only when asked for (`--pii`, or the bank file) and held. */
  p: Principal;
  deps: {
    readonly benefits: BenefitsService;
    readonly outbox: OutboxService | undefined;
    readonly banks: readonly AgentBank[];
  };
}

export const withPaymentsCommon = (c: Command): Command =>
  c
    .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
    .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json)')
    .requiredOption('--as <username>', 'act as this user: their roles and unit decide what is allowed');

const notConfigured = () =>
  new NxError('NX_ERR_PAYMENTS_NOT_FOUND', 404, {
    'zh-CN': '配置中没有 payments 插件（或它依赖的 benefits 插件）',
    en: 'The configuration has no payments plugin (or no benefits plugin it depends on)',
  });

export async function openPayments(o: PaymentsOptions, wantPii: boolean): Promise<PaymentsContext> {
  const plugins = await configuredPlugins(o.config);
  const payments = plugins?.plugins.find((x) => x.name === 'payments');
  const benefits = plugins?.services.get('benefits') as BenefitsService | undefined;
  if (!plugins || !payments || !benefits) throw notConfigured();
  const db = await openWithPlugins(o.db, plugins);
  try {
    const user = await getUserByName(db, o.as);
    if (!user || user.disabled) {
      throw new NxError('NX_ERR_PAYMENTS_NOT_FOUND', 404, {
        'zh-CN': `没有用户“${o.as}”（或已停用）`,
        en: `No user "${o.as}" (or disabled)`,
      });
    }
    const p: Principal = {
      userId: user.id,
      username: user.username,
      orgCode: user.orgCode,
      orgPath: user.orgPath,
      roles: user.roles,
      permissions: user.permissions.filter((x) => x !== 'pii' || wantPii),
      tokenId: 'cli',
      tokenKind: 'api',
    };
    const banks = (payments.config as { agentBanks?: AgentBank[] } | undefined)?.agentBanks ?? [];
    const outbox = plugins.services.get('sms-outbox') as OutboxService | undefined;
    return { db, p, deps: { benefits, outbox, banks } };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
