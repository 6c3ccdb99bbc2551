import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { type Clock, canSeePii, perUserRateLimit, requireRole } from '../../engine/entry/server.ts';
import { exportBankFile } from './bank-export.ts';
import {
  type AgentBank,
  batchLines,
  batchView,
  decideBatch,
  findBatch,
  generateBatch,
  lineView,
  listBatches,
} from './batches.ts';
import type { BenefitsService, OutboxService } from './benefits-contract.ts';
import { importCardAccounts, listCardAccounts } from './card-accounts.ts';
import { reconcile } from './reconciliation.ts';
import { importReturnFile } from './return-file.ts';
import { PAYMENT_ROLES } from './roles.ts';

/**
 * `/api/payments`: batches, the bank file, the return file, reconciliation and card accounts.
 * Each route names the parties that may call it (the four of the seed: civil affairs generates,
 * finance approves or returns, the bank pays, 人社 keeps the card accounts); everything is
 * bounded by the caller's subtree and masked without `pii`. No route accepts an amount.
 */

export { BATCH_READERS, CARD_READERS, CIVIL_AFFAIRS } from './roles.ts';

const BatchParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const OrgCode = Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' });

export interface PaymentsDeps {
  readonly benefits: () => BenefitsService;
  readonly outbox: () => OutboxService | undefined;
  readonly banks: readonly AgentBank[];
  /** Overrides the app's clock (`app.nuanxin.clock`). */
  readonly clock?: Clock;
}

export function paymentRoutes(deps: PaymentsDeps): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const db = () => app.nuanxin.db;
    const clock = () => (deps.clock ?? app.nuanxin.clock)();
    const limited = { rateLimit: perUserRateLimit(app.nuanxin.listRateLimit) };
    const tags = ['payments'];

    app.post(
      '/batches',
      {
        schema: {
          tags,
          summary:
            '生成某县某月的发放批次（重复生成得到同一批次）/ generate the batch of a county and month (idempotent)',
          body: Type.Object({ orgCode: OrgCode, month: Month }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const p = requireRole(req, ...PAYMENT_ROLES.generate);
        const r = await generateBatch(
          db(),
          { benefits: deps.benefits(), banks: deps.banks },
          p,
          req.body,
          clock(),
        );
        return reply.code(r.created ? 201 : 200).send(r);
      },
    );

    app.get(
      '/batches',
      {
        config: limited,
        schema: {
          tags,
          summary: '发放批次列表 / payment batches of your area',
          querystring: Type.Object({
            orgCode: Type.Optional(OrgCode),
            month: Type.Optional(Month),
            status: Type.Optional(
              Type.Union(
                ['pending_finance', 'returned', 'approved', 'reconciled'].map((s) => Type.Literal(s)),
              ),
            ),
          }),
        },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.read);
        return { items: await listBatches(db(), p, req.query) };
      },
    );

    app.get(
      '/batches/:id',
      {
        config: limited,
        schema: { tags, summary: '批次及其发放行 / a batch with its lines', params: BatchParams },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.read);
        const b = await findBatch(db(), p, req.params.id);
        const pii = canSeePii(p);
        return {
          batch: await batchView(db(), b),
          lines: (await batchLines(db(), b.id)).map((l) => lineView(l, pii)),
        };
      },
    );

    app.post(
      '/batches/:id/approve',
      {
        schema: {
          tags,
          summary: '财政审核通过整个批次（不能修改发放行）/ finance approves the whole batch',
          params: BatchParams,
          body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.decide);
        return decideBatch(db(), p, req.params.id, { action: 'approve' }, clock());
      },
    );

    app.post(
      '/batches/:id/return',
      {
        schema: {
          tags,
          summary: '财政退回整个批次（须写明原因）/ finance returns the whole batch with a reason',
          params: BatchParams,
          body: Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
        },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.decide);
        return decideBatch(db(), p, req.params.id, { action: 'return', reason: req.body.reason }, clock());
      },
    );

    app.get(
      '/batches/:id/bank-file',
      {
        schema: {
          tags,
          summary: '代发文件（CSV 或 XLSX，含合计行）/ the bank file, CSV or XLSX with a totals row',
          params: BatchParams,
          querystring: Type.Object({
            format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])),
          }),
        },
      },
      async (req, reply) => {
        const p = requireRole(req, ...PAYMENT_ROLES.bankFile);
        const f = await exportBankFile(db(), p, req.params.id, req.query.format ?? 'csv', clock());
        return reply
          .header('content-type', f.contentType)
          .header('content-disposition', `attachment; filename="${f.fileName}"`)
          .send(f.body);
      },
    );

    app.post(
      '/batches/:id/return-file',
      {
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags,
          summary:
            '导入银行回盘文件（同一文件再次导入不作任何更改）/ import the bank’s return file (idempotent)',
          params: BatchParams,
          body: Type.Object(
            {
              content: Type.String({ minLength: 1, maxLength: 4_000_000, description: 'The CSV text' }),
              fileName: Type.Optional(Type.String({ maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.returnFile);
        return importReturnFile(db(), { outbox: deps.outbox() }, p, req.params.id, req.body, clock());
      },
    );

    app.get(
      '/batches/:id/reconciliation',
      {
        config: limited,
        schema: { tags, summary: '对账：成功、失败、未回盘、受阻 / reconciliation', params: BatchParams },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.read);
        const b = await findBatch(db(), p, req.params.id);
        return reconcile(db(), b, canSeePii(p));
      },
    );

    app.get(
      '/card-accounts',
      {
        config: limited,
        schema: {
          tags,
          summary: '社会保障卡账户（人社维护）/ social-security card accounts of your area',
          querystring: Type.Object({
            after: Type.Optional(Type.String({ maxLength: 18 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          }),
        },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.readCards);
        return listCardAccounts(db(), { orgPath: p.orgPath, pii: canSeePii(p) }, req.query);
      },
    );

    app.post(
      '/card-accounts',
      {
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags,
          summary: '导入或更新社会保障卡账户（人社；整批校验）/ import or update card accounts (人社)',
          body: Type.Object(
            {
              rows: Type.Array(
                Type.Object(
                  {
                    idNumber: Type.String({ maxLength: 18 }),
                    accountNumber: Type.String({ maxLength: 30 }),
                    bankName: Type.String({ maxLength: 60 }),
                    holderName: Type.String({ maxLength: 40 }),
                    phone: Type.Optional(Type.String({ maxLength: 11 })),
                    orgCode: Type.Optional(OrgCode),
                  },
                  { additionalProperties: false },
                ),
                { minItems: 1, maxItems: 20_000 },
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const p = requireRole(req, ...PAYMENT_ROLES.writeCards);
        return importCardAccounts(db(), p, req.body.rows, clock());
      },
    );
  };
  return plugin as FastifyPluginAsync;
}
